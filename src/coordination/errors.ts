/** Why a lock's or a lease's signal aborted: it could not be renewed in time, or another has it. */
export class LockLostError extends Error {
  override readonly name: string = 'LockLostError';
}

/** Locks.run waited its whole bound for a key that another process kept holding. */
export class LockWaitTimeoutError extends Error {
  override readonly name: string = 'LockWaitTimeoutError';

  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`Gave up on the lock "${key}" after ${Math.round(waitedMs / 1_000)} s: another process holds it.`);
  }
}
