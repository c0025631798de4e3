/**
 * Comparing and exporting lists already read today: free at X, not to Flock, whose CPU, memory,
 * disk and uploads it takes (a 100,000-row export is written, split and sent). So it is bounded
 * like a read: a person has one such job at a time (asking again meanwhile is refused, not
 * queued behind it), and at most FREE_PER_DAY a UTC day; the process works on FREE_AT_ONCE at a
 * time and lets at most FREE_WAITING more wait, refusing the rest with words rather than letting
 * a queue grow without bound.
 */
import pLimit from 'p-limit';
import { type Clock, utcDay } from '../clock.js';
import type { Locks } from '../coordination/locks.js';
import type { Store } from '../store/open-store.js';
import { ttlOfDay } from './day-records.js';

/** Jobs worked on at once in this process (each streams one list or comparison). */
export const FREE_AT_ONCE = 2;
/** Jobs that may wait for one of those; past this, the next person is asked to try again. */
export const FREE_WAITING = 20;
/** Free comparisons and exports one person may have a UTC day. */
export const FREE_PER_DAY = 30;

export type FreeRefusal = 'free-own-busy' | 'free-queue-full' | 'free-daily';

/** A person's claim on the free work: run its steps, then release it (once, whatever happened). */
export interface FreeSlot {
  run<T>(work: () => Promise<T>): Promise<T>;
  release(): void;
}

export class FreeWork {
  readonly #limit = pLimit(FREE_AT_ONCE);
  /** People with a job here, working or waiting: the size is the queue's. */
  readonly #holders = new Set<string>();
  readonly #counts;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly locks: Locks,
  ) {
    this.#counts = store.namespace<number>('insights-free');
  }

  async claim(ownerId: string): Promise<FreeSlot | { refused: FreeRefusal }> {
    if (this.#holders.has(ownerId)) return { refused: 'free-own-busy' };
    if (this.#holders.size >= FREE_AT_ONCE + FREE_WAITING) return { refused: 'free-queue-full' };
    // Held before the first await: two commands of one person at once cannot both pass.
    this.#holders.add(ownerId);
    try {
      const now = this.clock.now();
      const key = `${utcDay(now)}:${ownerId}`;
      const used = (await this.#counts.get(key)) ?? 0;
      if (used >= FREE_PER_DAY) {
        this.#holders.delete(ownerId);
        return { refused: 'free-daily' };
      }
      await this.#counts.set(key, used + 1, ttlOfDay(utcDay(now), now));
    } catch (error) {
      this.#holders.delete(ownerId);
      throw error;
    }
    let released = false;
    return {
      // The person's lock too: another process of the same bot may hold a job of theirs.
      run: (work) => this.#limit(() => this.locks.run(`insights:free:${ownerId}`, () => work())),
      release: () => {
        if (released) return;
        released = true;
        this.#holders.delete(ownerId);
      },
    };
  }
}
