/**
 * Roles that one process holds at a time (the Activity stream's single connection): a holder
 * acquires a named lease, renews it in the background, and learns through `lost` when it can no
 * longer count on it. Each acquisition of a name carries a larger fence than the one before, so
 * writes stamped with it tell a stale holder from the current one. LocalLeases is the in-process
 * kind, for a store one process owns; RedisLeases (redis-leases.ts) holds them in Redis.
 */

export interface Lease {
  /** Larger than the fence of every earlier acquisition of this name. */
  readonly fence: number;
  /**
   * Aborts, with LockLostError, when the lease could not be renewed (another holder has it, or
   * Redis was away past its TTL). Not on release().
   */
  readonly lost: AbortSignal;
  /** Gives the lease up, so that another may acquire it at once. Safe to call twice. */
  release(): Promise<void>;
}

export interface Leases {
  /**
   * The lease on `name` for this process, renewed every third of `ttlMs` until released, or
   * undefined when another holds it. A holder that stops renewing (a process that died) loses
   * it `ttlMs` later.
   */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined>;
}

export class LocalLeases implements Leases {
  readonly #held = new Set<string>();
  // One number per name ever leased: names are roles the code knows, not user input.
  readonly #fences = new Map<string, number>();

  async tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw new RangeError('A lease TTL must be a positive number of milliseconds.');
    if (this.#held.has(name)) return undefined;
    const fence = (this.#fences.get(name) ?? 0) + 1;
    this.#fences.set(name, fence);
    this.#held.add(name);
    let released = false;
    return {
      fence,
      // Nothing outside this process can take it.
      lost: new AbortController().signal,
      release: async () => {
        if (released) return;
        released = true;
        this.#held.delete(name);
      },
    };
  }
}
