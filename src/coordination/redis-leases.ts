/**
 * Leases held in Redis: `lease:<name>` through redlock (as RedisLocks, see redlock-hold.ts), and,
 * for a fenced one, the fence from INCR on `lease-fence:<name>`, a counter that never expires.
 */
import type { Redlock } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';
import type { FencedLease, Lease, Leases } from './leases.js';
import { asUnavailable, keepRenewed, redlockOn, takenByAnother, tryLock, wholeMs } from './redlock-hold.js';

export class RedisLeases implements Leases {
  readonly #client: Redis;
  readonly #redlock: Redlock;
  readonly #held = new Set<Lease>();

  /** `client` is this process's coordination connection; its database holds the leases. */
  constructor(client: Redis) {
    this.#client = client;
    this.#redlock = redlockOn(client);
  }

  /** As Leases.tryAcquire; rejects with StoreUnavailableError when Redis does not answer. */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined> {
    return this.#acquire(name, ttlMs, false);
  }

  /** As Leases.tryAcquireFenced; rejects with StoreUnavailableError when Redis does not answer. */
  tryAcquireFenced(name: string, ttlMs: number): Promise<FencedLease | undefined> {
    return this.#acquire(name, ttlMs, true) as Promise<FencedLease | undefined>;
  }

  async #acquire(name: string, ttlMs: number, fenced: boolean): Promise<Lease | undefined> {
    const ttl = wholeMs(ttlMs, 'A lease TTL');
    const first = await tryLock(this.#redlock, `lease:${name}`, ttl);
    if (!first) return undefined;
    let fence: number | undefined;
    let lock = first;
    if (fenced) {
      try {
        fence = await this.#client.incr(`lease-fence:${name}`);
        // The INCR and the SET are two steps: had the key expired and been taken between them, a
        // stale holder could draw a larger fence than the current one. An extension succeeds only
        // while the key still carries our value, and a value never comes back once expired: so
        // the key was ours throughout, the INCR included.
        lock = await first.extend(ttl);
      } catch (error) {
        const taken = await takenByAnother(error);
        await lock.release().catch(() => undefined);
        if (taken) return undefined;
        throw asUnavailable(error);
      }
    }
    const held = keepRenewed(lock, ttl, `The lease "${name}"`);
    const lease: Lease = {
      ...(fence === undefined ? {} : { fence }),
      lost: held.signal,
      release: async () => {
        this.#held.delete(lease);
        await held.release();
      },
    };
    this.#held.add(lease);
    return lease;
  }

  /**
   * Deletes the fence counters Flock 0.1 drew for every insights request and list it read (never
   * expiring, one key each); only roles draw fences now. Resolves to how many went.
   */
  async sweepStaleFences(): Promise<number> {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.scan(cursor, 'MATCH', 'lease-fence:insights:*', 'COUNT', 500);
      cursor = next;
      if (keys.length) removed += await this.#client.unlink(...keys);
    } while (cursor !== '0');
    return removed;
  }

  /** Releases every lease this process holds (on shutdown, so that another takes over at once). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.#held].map((lease) => lease.release()));
  }
}
