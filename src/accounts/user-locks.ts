/**
 * One lock per Discord user over everything that changes their link: a token refresh, an unlink,
 * a link finishing, a Linked Roles update. Tasks for one user run one after another; different
 * users never wait for each other.
 */
import type { Locks } from '../coordination/locks.js';

export class UserLocks {
  constructor(private readonly locks: Locks) {}

  /** Runs `task` once no other task of this user runs. Not reentrant: never nest for one user. */
  run<T>(discordUserId: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(`user:${discordUserId}`, task);
  }
}
