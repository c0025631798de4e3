/**
 * Mutual exclusion by name. A task runs while it holds its key; tasks on one key run one after
 * another, tasks on different keys never wait for each other. This is the in-process kind, for a
 * store one process owns (SQLite): async-lock keeps a queue per key and drops it once empty, so
 * the lock never outgrows the keys in use. Several processes on one store need a kind that holds
 * the key in the store itself; callers only see this interface.
 */
import AsyncLock from 'async-lock';

export interface Locks {
  /** Runs `task` once no other task holds `key`. Not reentrant: never nest one key. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export class LocalLocks implements Locks {
  // A key with a thousand tasks queued is a bug or an attack: refuse the next.
  readonly #lock = new AsyncLock({ maxPending: 1000 });

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.#lock.acquire(key, task);
  }

  /** Whether anything holds or waits for a lock (for tests). */
  get busy(): boolean {
    return this.#lock.isBusy();
  }
}
