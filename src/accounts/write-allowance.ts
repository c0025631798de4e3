/**
 * How many mutes and unmutes Flock writes for one person in a UTC day. Each write is billed to
 * the operator ($0.015 a mute, $0.005 an unmute) while on X itself it costs the person nothing,
 * so without a cap one member toggling a mute could spend up to X's rate limit allows (50 of
 * each a quarter hour, about $96 a day). Taken before the write is sent, under the person's lock,
 * so that commands at the same moment cannot all slip under the cap (in any process); one record
 * per person, gone at UTC midnight.
 */
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { UserLocks } from './user-locks.js';

/** Far above what a person mutes in a day by hand; at most $0.75 of mutes. */
export const MUTE_WRITES_PER_DAY = 50;

export class MuteAllowance {
  readonly #counts;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly locks: UserLocks,
    readonly perDay = MUTE_WRITES_PER_DAY,
  ) {
    this.#counts = store.namespace<number>('mute-writes');
  }

  /**
   * Takes one write from the person's allowance for today; false when none is left. Not to be
   * called under the person's lock (it takes it).
   */
  take(discordUserId: string): Promise<boolean> {
    return this.locks.run(discordUserId, async () => {
      const now = this.clock.now();
      const key = `${utcDay(now)}:${discordUserId}`;
      const used = (await this.#counts.get(key)) ?? 0;
      if (used >= this.perDay) return false;
      await this.#counts.set(key, used + 1, nextUtcMidnight(now) - now);
      return true;
    });
  }

  /** When the allowance starts afresh. */
  resetAt(): number {
    return nextUtcMidnight(this.clock.now());
  }
}
