/**
 * What X's `x-rate-limit-*` headers said about each bucket (endpoint × credential), so that a
 * request known to get 429 is never sent. Limits differ per plan and change without notice,
 * so nothing is hard-coded: a bucket is known only once X has answered on it.
 *
 * With a shared part (several processes on one Redis), the buckets in Redis decide and the ones
 * here are this process's own knowledge, still kept up to date, to go on with while Redis is away.
 */
import type { Clock } from '../clock.js';
import type { SharedBuckets } from './shared-x-state.js';

export interface BucketState {
  limit: number;
  remaining: number;
  /** When the window refills, ms since epoch. */
  resetAt: number;
}

/** The windows X reports: the 15-minute one, and the 24-hour ones some endpoints add. */
const WINDOWS = [
  { name: '15min', prefix: 'x-rate-limit' },
  { name: '24h-app', prefix: 'x-app-limit-24hour' },
  { name: '24h-user', prefix: 'x-user-limit-24hour' },
] as const;

export const WINDOW_NAMES = WINDOWS.map((window) => window.name);

/** Reservations drop windows that have reset at most this often (clock time); snapshots always do. */
const PRUNE_EVERY_MS = 60_000;

export class RateLimits {
  readonly #buckets = new Map<string, BucketState>();
  /** Requests sent on a bucket whose answers have not come back yet. */
  readonly #inFlight = new Map<string, number>();
  #prunedAt = Number.NEGATIVE_INFINITY;

  readonly #shared: SharedBuckets | undefined;

  /** `options.shared`: the buckets of every process on one Redis (createSharedXState). */
  constructor(
    private readonly clock: Clock,
    options: { shared?: SharedBuckets } = {},
  ) {
    this.#shared = options.shared;
  }

  /** Whether the buckets are shared with other processes: the `*Shared` steps then need awaiting. */
  get isShared(): boolean {
    return this.#shared !== undefined;
  }

  /**
   * Records every window the headers describe. X's figure counts only the requests it has
   * seen, so requests still in flight besides the one answering are taken off it.
   */
  update(bucket: string, headers: Headers): void {
    const others = this.#othersInFlight(bucket);
    for (const [name, state] of readWindows(headers))
      this.#buckets.set(`${bucket}|${name}`, { ...state, remaining: state.remaining - others });
  }

  /** Requests on the bucket still in flight besides the one answering. */
  #othersInFlight(bucket: string): number {
    return Math.max(0, (this.#inFlight.get(bucket) ?? 1) - 1);
  }

  /**
   * Takes one request from the bucket as every process sees it: undefined when taken (or when
   * nothing is shared), else when the bucket refills. Call `reserve` after it. Rejects when
   * Redis fails; this process's own knowledge (`blockedUntil`) is then all there is.
   */
  async takeShared(bucket: string): Promise<number | undefined> {
    if (!this.#shared) return undefined;
    const until = await this.#shared.take(bucket);
    return until > 0 ? until : undefined;
  }

  /**
   * Tells every process what the headers said; `update` records it here. Call it before the
   * answering request's reservation is released. Rejects when Redis fails.
   */
  async reportShared(bucket: string, headers: Headers): Promise<void> {
    await this.#shared?.report(bucket, readWindows(headers), this.#othersInFlight(bucket));
  }

  /** Tells every process of a 429; `exhaust` records it here. Rejects when Redis fails. */
  async exhaustShared(bucket: string, resetAt: number): Promise<void> {
    await this.#shared?.exhaust(bucket, resetAt);
  }

  /** After a 429: the bucket is empty until `resetAt`, whatever the headers said. */
  exhaust(bucket: string, resetAt: number): void {
    const key = `${bucket}|15min`;
    const known = this.#buckets.get(key);
    this.#buckets.set(key, { limit: known?.limit ?? 0, remaining: 0, resetAt });
  }

  /**
   * When the bucket refills if it is known to be empty now, else undefined. The latest reset
   * of any empty window wins: a spent 24-hour window outlasts a fresh 15-minute one.
   */
  blockedUntil(bucket: string): number | undefined {
    const now = this.clock.now();
    let until: number | undefined;
    for (const window of WINDOWS) {
      const state = this.#buckets.get(`${bucket}|${window.name}`);
      if (state && state.remaining <= 0 && state.resetAt > now) until = Math.max(until ?? 0, state.resetAt);
    }
    return until;
  }

  /**
   * Takes one request out of every known window before sending, so concurrent callers cannot
   * all spend the last request. The answer's headers then set the true figures.
   */
  reserve(bucket: string): () => void {
    const now = this.clock.now();
    if (now - this.#prunedAt >= PRUNE_EVERY_MS) this.#prune(now);
    for (const window of WINDOWS) {
      const state = this.#buckets.get(`${bucket}|${window.name}`);
      if (state && state.resetAt > now) state.remaining -= 1;
    }
    this.#inFlight.set(bucket, (this.#inFlight.get(bucket) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(bucket) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(bucket, left);
      else this.#inFlight.delete(bucket);
    };
  }

  /** Every window still running, to keep across a restart. */
  snapshot(): Record<string, BucketState> {
    const now = this.clock.now();
    this.#prune(now);
    return Object.fromEntries(
      [...this.#buckets]
        .filter(([, state]) => state.resetAt > now)
        .map(([key, state]) => [key, { ...state }]),
    );
  }

  /** Takes back what a snapshot kept; windows that have reset since are dropped. */
  restore(saved: Record<string, BucketState>): void {
    const now = this.clock.now();
    for (const [key, state] of Object.entries(saved))
      if (state.resetAt > now) this.#buckets.set(key, { ...state });
  }

  /**
   * A credential is one linked user, so buckets grow with users: a window past its reset carries
   * nothing a request needs (the next answer's headers describe the new one) and is dropped,
   * unless a request on its bucket is still in flight.
   */
  #prune(now: number): void {
    this.#prunedAt = now;
    for (const [key, state] of this.#buckets) {
      const bucket = key.slice(0, key.lastIndexOf('|'));
      if (state.resetAt <= now && !this.#inFlight.has(bucket)) this.#buckets.delete(key);
    }
  }

  /** How many windows are known, every bucket's together. */
  get size(): number {
    return this.#buckets.size;
  }

  /** The known state of a bucket's 15-minute window. */
  get(bucket: string): BucketState | undefined {
    const state = this.#buckets.get(`${bucket}|15min`);
    return state && { ...state };
  }
}

/** The windows the headers describe, by name, as X gave them. */
function readWindows(headers: Headers): Map<string, BucketState> {
  const windows = new Map<string, BucketState>();
  for (const window of WINDOWS) {
    const limit = Number(headers.get(`${window.prefix}-limit`));
    const remaining = Number(headers.get(`${window.prefix}-remaining`));
    const reset = Number(headers.get(`${window.prefix}-reset`));
    if (!headers.has(`${window.prefix}-remaining`) || !Number.isFinite(remaining) || !Number.isFinite(reset))
      continue;
    windows.set(window.name, {
      limit: Number.isFinite(limit) ? limit : remaining,
      remaining,
      resetAt: reset * 1000,
    });
  }
  return windows;
}
