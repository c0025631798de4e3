/**
 * Leases that one process holds at a time (a role such as the Activity stream's single
 * connection, or one insights read): a holder acquires a named lease, renews it in the background,
 * and learns through `lost` when it can no longer count on it. A fenced acquisition (a role's)
 * also carries a fence larger than that of every earlier fenced acquisition of its name, so writes
 * stamped with it tell a stale holder from the current one; the fence is a counter kept for good,
 * so only names the code knows are fenced, never one per request or list. LocalLeases is the
 * in-process kind, for a store one process owns; RedisLeases (redis-leases.ts) holds them in Redis.
 */

export interface Lease {
  /**
   * Aborts, with LockLostError, when the lease could not be renewed (another holder has it, or
   * Redis was away past its TTL). Not on release().
   */
  readonly lost: AbortSignal;
  /** Gives the lease up, so that another may acquire it at once. Safe to call twice. */
  release(): Promise<void>;
}

export interface FencedLease extends Lease {
  /** Larger than the fence of every earlier fenced acquisition of this name. */
  readonly fence: number;
}

export interface Leases {
  /**
   * The lease on `name` for this process, renewed every third of `ttlMs` until released, or
   * undefined when another holds it. A holder that stops renewing (a process that died) loses
   * it `ttlMs` later. Nothing of the name outlives the lease.
   */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined>;
  /** As tryAcquire, with a fence; for the few names the code knows (roles): each keeps a counter. */
  tryAcquireFenced(name: string, ttlMs: number): Promise<FencedLease | undefined>;
}

export class LocalLeases implements Leases {
  readonly #held = new Set<string>();
  // One number per fenced name: roles the code knows, not user input.
  readonly #fences = new Map<string, number>();

  async tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw new RangeError('A lease TTL must be a positive number of milliseconds.');
    if (this.#held.has(name)) return undefined;
    this.#held.add(name);
    let released = false;
    return {
      // Nothing outside this process can take it.
      lost: new AbortController().signal,
      release: async () => {
        if (released) return;
        released = true;
        this.#held.delete(name);
      },
    };
  }

  async tryAcquireFenced(name: string, ttlMs: number): Promise<FencedLease | undefined> {
    const lease = await this.tryAcquire(name, ttlMs);
    if (!lease) return undefined;
    const fence = (this.#fences.get(name) ?? 0) + 1;
    this.#fences.set(name, fence);
    return { ...lease, fence };
  }

  /** How many names are held or fenced now (for tests: what the process keeps). */
  get size(): number {
    return this.#held.size + this.#fences.size;
  }
}
