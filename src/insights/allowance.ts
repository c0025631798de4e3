/**
 * What each Discord user spent on X reads through /insights and /export today, against the
 * operator's per-user daily allowance (INSIGHTS_USER_DAILY_USD): one member cannot spend the
 * server's X budget. Counted from what X newly billed for the pages their reads fetched, so a
 * list someone else read today costs them nothing.
 */
import { type Clock, utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import { ttlOfDay } from './day-records.js';

export class Allowance {
  readonly #spent;

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** The daily allowance, in millionths of a dollar. */
    readonly dailyMicro: number,
  ) {
    this.#spent = store.namespace<number>('insights-spend');
  }

  /** Millionths of a dollar `userId` spent today. */
  async spent(userId: string): Promise<number> {
    return (await this.#spent.get(this.#key(userId))) ?? 0;
  }

  async left(userId: string): Promise<number> {
    return Math.max(0, this.dailyMicro - (await this.spent(userId)));
  }

  /**
   * Adds what a page cost. One read runs per user at a time (Insights sees to it), so the read and
   * the write do not race.
   */
  async add(userId: string, micro: number): Promise<void> {
    if (micro <= 0) return;
    const day = utcDay(this.clock.now());
    const spent = (await this.spent(userId)) + micro;
    await this.#spent.set(this.#key(userId), spent, ttlOfDay(day, this.clock.now()));
  }

  #key(userId: string): string {
    return `${utcDay(this.clock.now())}:${userId}`;
  }
}
