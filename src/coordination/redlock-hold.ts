/**
 * What RedisLocks and RedisLeases share: a key held in Redis through @sesamecare-oss/redlock
 * (its scripts set the key with a random value and a TTL, and extend or delete it only while it
 * still carries that value), renewed in the background for as long as it is held.
 *
 * Redlock's own `using()` does the renewing too, but it is not used: it retries an acquisition,
 * an extension and a release alike (so a bound on waiting also delays noticing a loss), it
 * reports a key taken by another only once the key has expired, and a release that fails in its
 * `finally` replaces the task's own result. Here redlock makes one attempt per call and the
 * schedule is ours.
 */
import { ExecutionError, type Lock, Redlock, ResourceLockedError } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';
import { StoreError, StoreUnavailableError } from '../store/store-error.js';
import { LockLostError } from './errors.js';

/** A redlock on one client, making a single attempt per call. */
export function redlockOn(client: Redis): Redlock {
  const db = client.options.db ?? 0;
  // Redlock's scripts SELECT the database themselves, and read any number past 15 as 0.
  if (!Number.isInteger(db) || db < 0 || db > 15)
    throw new StoreError('STORE_URL: several Flock processes coordinate in Redis databases 0–15 only.');
  return new Redlock([client], { db, retryCount: 0 });
}

/**
 * One attempt at `key`: the lock, or undefined when another holds it. Rejects with
 * StoreUnavailableError when Redis does not answer.
 */
export async function tryLock(redlock: Redlock, key: string, ttlMs: number): Promise<Lock | undefined> {
  try {
    return await redlock.acquire([key], ttlMs);
  } catch (error) {
    if (await takenByAnother(error)) return undefined;
    throw asUnavailable(error);
  }
}

/** Whether redlock failed because the key carries another value (or none), not because Redis is away. */
export async function takenByAnother(error: unknown): Promise<boolean> {
  if (!(error instanceof ExecutionError)) return false;
  const votes = (await Promise.all(error.attempts)).flatMap((stats) => [...stats.votesAgainst.values()]);
  return votes.length > 0 && votes.every((vote) => vote instanceof ResourceLockedError);
}

export function asUnavailable(error: unknown): StoreError {
  return error instanceof StoreError ? error : new StoreUnavailableError({ cause: error });
}

/** A positive whole number of milliseconds, as redlock takes it. */
export function wholeMs(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms <= 0)
    throw new RangeError(`${what} must be a positive number of milliseconds.`);
  return Math.ceil(ms);
}

export interface Held {
  /** Aborts, with a LockLostError, once the key may be someone else's. */
  readonly signal: AbortSignal;
  /** Stops renewing and deletes the key if it is still ours (if Redis is away, it expires). Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Renews `lock` every third of its TTL. A renewal that Redis refuses (the key carries another
 * value, or none) loses it at once; one that gets no answer is retried until the lock's
 * expiry, which loses it too: past that, another process may have it.
 */
export function keepRenewed(first: Lock, ttlMs: number, what: string): Held {
  const controller = new AbortController();
  const retryMs = Math.max(50, Math.min(ttlMs / 10, 1_000));
  let lock = first;
  let stopped = false;
  let renewTimer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  let renewal: Promise<void> | undefined;

  const done = () => stopped || controller.signal.aborted;
  const lose = (reason: string) => {
    if (done()) return;
    clearTimeout(renewTimer);
    clearTimeout(expiryTimer);
    controller.abort(new LockLostError(`${what} was lost: ${reason}.`));
  };
  // Timers are unref'd: the task that holds the key keeps the process alive, not its renewal.
  const watchExpiry = () => {
    clearTimeout(expiryTimer);
    // Redlock's expiration already allows for clock drift and the request's own time.
    expiryTimer = setTimeout(
      () => lose('Redis did not renew it within its TTL'),
      lock.expiration - Date.now(),
    );
    expiryTimer.unref();
  };
  const schedule = (delayMs: number) => {
    renewTimer = setTimeout(() => {
      renewal = renew();
    }, delayMs);
    renewTimer.unref();
  };
  const renew = async () => {
    try {
      lock = await lock.extend(ttlMs);
      if (done()) return;
      watchExpiry();
      schedule(ttlMs / 3);
    } catch (error) {
      const taken = await takenByAnother(error);
      if (done()) return;
      if (taken) lose('another holder has it, or it was deleted');
      else schedule(retryMs);
    }
  };

  watchExpiry();
  schedule(ttlMs / 3);
  let releasing: Promise<void> | undefined;
  return {
    signal: controller.signal,
    release() {
      releasing ??= (async () => {
        stopped = true;
        clearTimeout(renewTimer);
        clearTimeout(expiryTimer);
        // A release racing an extension could be overtaken by it and leave the key set.
        await renewal;
        await lock.release().catch(() => undefined);
      })();
      return releasing;
    },
  };
}
