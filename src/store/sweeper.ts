/**
 * Keyv deletes an expired record only when someone reads it again, so link attempts, paging
 * sessions and page caches that nobody opens again would stay in the store for ever. The
 * sweeper deletes them on a timer: once when started, then every interval.
 */
import type { Logger } from '../log.js';
import type { Store } from './open-store.js';

export const SWEEP_INTERVAL_MS = 60 * 60_000;

export interface SweeperOptions {
  store: Pick<Store, 'sweepExpired'>;
  log: Logger;
  /** Time between two sweeps; an hour by default. */
  intervalMs?: number;
}

export class Sweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(private readonly o: SweeperOptions) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.o.intervalMs ?? SWEEP_INTERVAL_MS);
    this.#timer.unref();
    void this.tick();
  }

  /** Stops the timer and waits for a sweep in flight, so the store can be closed after it. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /**
   * Sweeps once and resolves to how many records went. A failure is logged and resolves to 0,
   * never rejects; a call while a sweep runs waits for that one instead of starting another.
   */
  tick(): Promise<number> {
    this.#running ??= this.o.store
      .sweepExpired()
      .then(
        (removed) => {
          if (removed) this.o.log.debug('swept expired records', { removed });
          return removed;
        },
        (error: unknown) => {
          this.o.log.warn('could not sweep expired records', { error });
          return 0;
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }
}
