/**
 * How many writes of a kind (mutes and unmutes; follows and unfollows) Flock sends for one person
 * in a UTC day. Each write is billed to the operator ($0.015 a mute or a follow, $0.005 an unmute
 * or an unfollow) while on X itself it costs the person nothing, so without a cap one member
 * toggling a mute or a follow could spend what X's rate limit allows (50 a quarter hour, about $96
 * a day) and the server's budget with it. Taken before the write is sent, under the person's lock,
 * so that commands at the same moment cannot all slip under the cap (in any process); one record
 * per person and kind, gone at UTC midnight.
 */
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { UserLocks } from './user-locks.js';

export type WriteKind = 'mute' | 'follow';

/** Far above what a person mutes, or follows, in a day by hand; at most $0.75 of either. */
export const WRITES_PER_DAY: Readonly<Record<WriteKind, number>> = { mute: 50, follow: 50 };

export class WriteAllowance {
  readonly #counts;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly locks: UserLocks,
    kind: WriteKind,
    readonly perDay = WRITES_PER_DAY[kind],
  ) {
    this.#counts = store.namespace<number>(`${kind}-writes`);
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
