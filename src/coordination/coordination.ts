/**
 * The coordination that matches the store: in-process locks and leases for a store one process
 * owns (SQLite), Redis-held ones for STORE_URL=redis://, over a connection of their own. The
 * Redis kind is loaded only when STORE_URL names it.
 */
import type { Redis } from 'ioredis';
import { type Leases, LocalLeases } from './leases.js';
import { LocalLocks, type Locks } from './locks.js';

export interface Coordination {
  locks: Locks;
  leases: Leases;
  /** The Redis connection the locks and leases use, where they are in Redis (shared X limits go there too). */
  redis?: Redis;
  /** Releases the leases this process holds and closes the connection, if any. Safe to call twice. */
  close(): Promise<void>;
}

export interface CoordinationOptions {
  /** How long a lock outlives a process that died holding it (RedisLocks; 10 s by default). */
  lockTtlMs?: number;
  /** How long a lock waits for another process before giving up (RedisLocks; 30 s by default). */
  lockWaitMs?: number;
}

/**
 * Rejects with StoreError, one line naming STORE_URL, when Redis does not answer at start.
 * Any store but Redis gets the in-process kind: several processes need STORE_URL=redis://.
 */
export async function createCoordination(
  storeUrl: string,
  options: CoordinationOptions = {},
): Promise<Coordination> {
  if (/^rediss?:/.test(storeUrl))
    return (await import('./redis-coordination.js')).openRedisCoordination(storeUrl, options);
  return { locks: new LocalLocks(), leases: new LocalLeases(), close: async () => undefined };
}
