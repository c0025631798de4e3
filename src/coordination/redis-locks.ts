/**
 * Locks held in Redis, for several Flock processes on one store. A key is held as `lock:<key>`
 * for as long as its task runs, renewed in the background; a process that dies holding it loses
 * it when its TTL runs out, and another goes on.
 *
 * The protocol is @sesamecare-oss/redlock's (the maintained successor of `redlock`, MIT, typed,
 * tested against real Redis): acquire with SET NX PX under a random value, extend and release by
 * Lua scripts that touch the key only while it carries that value. It needs ioredis, so the
 * coordination has one ioredis connection of its own beside the store's @redis/client one.
 * redis-semaphore was the other candidate: its renewal rejects unhandled when Redis is away
 * (which ends a Node process), and it retries at a fixed interval without jitter.
 */
import type { Lock, Redlock } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';
import { LockWaitTimeoutError } from './errors.js';
import { LocalLocks, type Locks } from './locks.js';
import { keepRenewed, redlockOn, tryLock, wholeMs } from './redlock-hold.js';

/** How long a key outlives a holder that stopped renewing it (a process that died). */
export const LOCK_TTL_MS = 10_000;
/** How long run() waits for a key another process holds. */
export const LOCK_WAIT_MS = 30_000;
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 500;

export interface RedisLocksOptions {
  ttlMs?: number;
  waitMs?: number;
}

export class RedisLocks implements Locks {
  // Callers in this process queue here first, so only the head of each key's queue asks Redis.
  readonly #local = new LocalLocks();
  readonly #redlock: Redlock;
  readonly #ttlMs: number;
  readonly #waitMs: number;

  /** `client` is this process's coordination connection; its database holds the keys. */
  constructor(client: Redis, options: RedisLocksOptions = {}) {
    this.#redlock = redlockOn(client);
    this.#ttlMs = wholeMs(options.ttlMs ?? LOCK_TTL_MS, 'The lock TTL');
    this.#waitMs = wholeMs(options.waitMs ?? LOCK_WAIT_MS, 'The lock wait');
  }

  /**
   * Runs `task` while this process holds `key` in Redis. Rejects with LockWaitTimeoutError when
   * another process kept the key for the whole wait, and with StoreUnavailableError when Redis
   * does not answer. Once the task has started, its own result stands: a loss reaches it
   * through `signal`, and a release that fails leaves the key to expire.
   */
  run<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.#local.run(key, () => this.#hold(key, task));
  }

  async #hold<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const held = keepRenewed(await this.#acquire(key), this.#ttlMs, `The lock "${key}"`);
    try {
      return await task(held.signal);
    } finally {
      await held.release();
    }
  }

  async #acquire(key: string): Promise<Lock> {
    const deadline = Date.now() + this.#waitMs;
    for (let attempt = 0; ; attempt += 1) {
      const lock = await tryLock(this.#redlock, `lock:${key}`, this.#ttlMs);
      if (lock) return lock;
      const left = deadline - Date.now();
      if (left <= 0) throw new LockWaitTimeoutError(key, this.#waitMs);
      await sleep(Math.min(left, retryDelay(attempt)));
    }
  }
}

/** Doubles up to a cap, half of it random, so that waiting processes do not ask in step. */
function retryDelay(attempt: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
