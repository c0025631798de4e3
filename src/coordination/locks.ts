/**
 * Mutual exclusion by name. A task runs while it holds its key; tasks on one key run one after
 * another, tasks on different keys never wait for each other. This is the in-process kind, for a
 * store one process owns (SQLite): async-lock keeps a queue per key and drops it once empty, so
 * the lock never outgrows the keys in use. Several processes on one store hold the key in Redis
 * (redis-locks.ts); callers only see this interface.
 */
import AsyncLock from 'async-lock';

export interface Locks {
  /**
   * Runs `task` once no other task holds `key`, and resolves or rejects as it does. `signal`
   * aborts when the key was lost while the task runs (a lock held in Redis that could not be
   * renewed, reason LockLostError): past that, another process may hold the key too, so a task
   * that writes checks it before each write. An in-process lock is never lost. Not reentrant:
   * never nest one key.
   */
  run<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export class LocalLocks implements Locks {
  // A key with a thousand tasks queued is a bug or an attack: refuse the next.
  readonly #lock = new AsyncLock({ maxPending: 1000 });

  run<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    // A signal per task rather than one shared: listeners that tasks add to it go with it.
    // (async-lock reads a function with one parameter as callback-style: hence the wrapper.)
    return this.#lock.acquire(key, () => task(new AbortController().signal));
  }

  /** Whether anything holds or waits for a lock (for tests). */
  get busy(): boolean {
    return this.#lock.isBusy();
  }
}
