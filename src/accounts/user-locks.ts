/**
 * One lock per Discord user over everything that changes their link: a token refresh, an unlink,
 * a link finishing, a Linked Roles update. Tasks for one user run one after another; different
 * users never wait for each other. async-lock drops a user's queue once it is empty, so the lock
 * never outgrows the users waiting on it.
 */
import AsyncLock from 'async-lock';

export class UserLocks {
  // A user stuck behind a thousand queued tasks is a bug or an attack: refuse the next.
  readonly #lock = new AsyncLock({ maxPending: 1000 });

  /** Runs `task` once no other task of this user runs. Not reentrant: never nest for one user. */
  run<T>(discordUserId: string, task: () => Promise<T>): Promise<T> {
    return this.#lock.acquire(discordUserId, task);
  }

  /** Whether anything holds or waits for a lock (for tests and health). */
  get busy(): boolean {
    return this.#lock.isBusy();
  }
}
