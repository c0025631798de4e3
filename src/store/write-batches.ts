/**
 * Writes to one namespace that arrive together go to the store together. The first write goes at
 * once; writes that arrive while it is on its way wait for it, then go as one (Keyv's setMany:
 * one statement and one transaction on SQLite, where each commit costs more than its rows), and
 * so on. Each caller resolves only once its own record is stored, and rejects if it was not, so a
 * record is never taken for written before it is. One write at a time costs what it did; eight at
 * once cost about 60% of the CPU each (`npm run bench:store-writes`: 61–63 µs a record against
 * 108–110). At 8 interactions in flight most writes still go alone; a burst after a pause does not.
 */
import type Keyv from 'keyv';

interface Waiting<T> {
  key: string;
  value: T;
  ttl: number | undefined;
  stored: () => void;
  failed: (error: unknown) => void;
}

/** The most records one batch carries: a burst is written in several, each a bounded statement. */
const MAX_BATCH = 64;

export class WriteBatches<T> {
  #waiting: Waiting<T>[] = [];
  #writing = false;

  constructor(private readonly keyv: Keyv<T>) {}

  /** Stores `value` under `key` (for `ttl` ms, if given); resolves once it is stored. */
  set(key: string, value: T, ttl?: number): Promise<void> {
    return new Promise((stored, failed) => {
      this.#waiting.push({ key, value, ttl, stored, failed });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, MAX_BATCH);
        try {
          const [first] = batch;
          // Keyv says `false` for a record it did not write; Redis's setMany says nothing at all
          // (a failure there rejects instead), so only a `false` is a failure.
          const results: readonly unknown[] | undefined =
            batch.length === 1 && first
              ? [await this.keyv.set(first.key, first.value, first.ttl)]
              : await this.keyv.setMany(batch.map(({ key, value, ttl }) => ({ key, value, ttl })));
          batch.forEach((write, i) => {
            if (results?.[i] === false) write.failed(new Error(`the store did not write ${write.key}`));
            else write.stored();
          });
        } catch (error) {
          for (const write of batch) write.failed(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}
