/**
 * X's rate-limit windows and today's X spend, held in Redis for every Flock process on it, so
 * that together they never send into a bucket one of them knows is empty, nor pass the daily
 * budget. Each step is one Lua script (shared-x-scripts.ts), so processes cannot interleave
 * inside it. Pass the parts to RateLimits and CostMeter:
 *
 *     const shared = createSharedXState(coordinationClient, clock);
 *     new RateLimits(clock, { shared: shared.buckets });
 *     new CostMeter(clock, budget, { shared: shared.spend });
 *
 * Times are the caller's clock, passed into each script, and expiries are relative to it: Redis's
 * own clock is never compared with X's resets.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import { StoreUnavailableError } from '../store/store-error.js';
import { READ_KINDS, type ReadKind, WRITE_KINDS, type WriteKind } from './prices.js';
import { type BucketState, WINDOW_NAMES } from './rate-limits.js';
import { defineScripts } from './shared-x-scripts.js';

/** Rate-limit windows as every process sees them. */
export interface SharedBuckets {
  /**
   * Takes one request from every live window of `bucket`: 0 when taken, else (nothing taken)
   * when the latest window known to be empty refills, ms since epoch.
   */
  take(bucket: string): Promise<number>;
  /**
   * What X's headers said, by window name. A window already known keeps the lower remaining
   * figure (ours counts every process's reservations, X's the requests it has seen); a newer
   * window replaces it, less `inFlight` (the caller's other requests X may not have seen yet:
   * they were sent before the window was known, so nothing counts them); an older one (a late
   * answer) changes nothing.
   */
  report(bucket: string, windows: ReadonlyMap<string, BucketState>, inFlight?: number): Promise<void>;
  /** After a 429: the bucket's 15-minute window is empty until `resetAt`. */
  exhaust(bucket: string, resetAt: number): Promise<void>;
}

/** One UTC day's billable figures, every process's together. */
export interface SpendTotals {
  day: string;
  /** Users billed, per kind of read. */
  reads: Record<ReadKind, number>;
  events: number;
  /** Write requests, per kind. */
  writes: Record<WriteKind, number>;
}

export interface SpendItems {
  /** The kind of read `users` came from; `user` (full price) when absent. */
  kind?: ReadKind;
  /** Users a read returned; the answer says how many of them no process had billed today in `kind`. */
  users?: readonly string[];
  /** Users to add without counting them in the answer (kept from a call that failed), per kind of read. */
  moreUsers?: Partial<Record<ReadKind, readonly string[]>>;
  events?: readonly string[];
  writes?: Partial<Record<WriteKind, number>>;
}

/** Today's X spend as every process sees it. */
export interface SharedSpend {
  /** Adds to `day`'s figures in one step; answers with how many of `users` were new, and the totals after. */
  record(day: string, items: SpendItems): Promise<{ newUsers: number; totals: SpendTotals }>;
  totals(day: string): Promise<SpendTotals>;
}

export interface SharedXState {
  buckets: SharedBuckets;
  spend: SharedSpend;
}

/** A window's key outlives its reset by this much, for processes whose clocks run a little behind. */
const WINDOW_KEY_MARGIN_MS = 60_000;
/** A day's spend keys outlive their last write by this much: long enough for a day and its stragglers. */
const SPEND_KEY_TTL_MS = 2 * 24 * 60 * 60_000;
/**
 * After a failed call, calls fail at once for this long: a Redis that hangs costs one command
 * timeout, not one on each step of each request.
 */
const FAIL_FAST_MS = 5_000;

/**
 * `redis` is the process's coordination connection (connectCoordinationClient). Calls reject
 * with StoreUnavailableError while Redis is away, at once rather than waiting for it.
 */
export function createSharedXState(
  redis: Redis,
  clock: Clock,
  options: { prefix?: string } = {},
): SharedXState {
  const prefix = options.prefix ?? '';
  const scripts = defineScripts(redis);
  const windowKey = (bucket: string, window: string) => `${prefix}x-rl:${bucket}|${window}`;
  // Full-price reads and follow writes keep the key names they had before reads were priced apart.
  const readKey = (day: string, kind: ReadKind) =>
    `${prefix}x-spend:${day}:users${kind === 'user' ? '' : `:${kind}`}`;
  const writeKey = (day: string, kind: WriteKind) =>
    `${prefix}x-spend:${day}:writes${kind === 'follow' ? '' : `:${kind}`}`;
  /** The day's sets (each kind of read, then events) and counters (each kind of write), in the script's order. */
  const spendKeys = (day: string) => [
    ...READ_KINDS.map((kind) => readKey(day, kind)),
    `${prefix}x-spend:${day}:events`,
    ...WRITE_KINDS.map((kind) => writeKey(day, kind)),
  ];

  let failedAt = Number.NEGATIVE_INFINITY;
  async function call<T>(run: () => Promise<T>): Promise<T> {
    // Without a connection, ioredis would queue the call (or reject it, as the coordination
    // client is set to): either way nothing is gained by asking.
    if (redis.status !== 'ready' || clock.now() - failedAt < FAIL_FAST_MS) throw new StoreUnavailableError();
    try {
      return await run();
    } catch (error) {
      failedAt = clock.now();
      throw new StoreUnavailableError({ cause: error });
    }
  }

  const buckets: SharedBuckets = {
    take: (bucket) =>
      call(async () =>
        Number(
          await scripts.take(
            WINDOW_NAMES.map((window) => windowKey(bucket, window)),
            [clock.now()],
          ),
        ),
      ),
    report: (bucket, windows, inFlight = 0) =>
      call(async () => {
        if (windows.size === 0) return;
        const entries = [...windows];
        await scripts.report(
          entries.map(([window]) => windowKey(bucket, window)),
          [
            clock.now(),
            WINDOW_KEY_MARGIN_MS,
            inFlight,
            ...entries.flatMap(([, state]) => [state.limit, state.remaining, state.resetAt]),
          ],
        );
      }),
    exhaust: (bucket, resetAt) =>
      call(async () => {
        await scripts.exhaust([windowKey(bucket, '15min')], [clock.now(), WINDOW_KEY_MARGIN_MS, resetAt]);
      }),
  };

  const spend: SharedSpend = {
    record: (day, items) =>
      call(async () => {
        const kind = items.kind ?? 'user';
        const users = items.users ?? [];
        const sets = [
          ...READ_KINDS.map((k) => [...(k === kind ? users : []), ...(items.moreUsers?.[k] ?? [])]),
          [...(items.events ?? [])],
        ];
        const answer = (await scripts.spend(spendKeys(day), [
          SPEND_KEY_TTL_MS,
          sets.length,
          WRITE_KINDS.length,
          READ_KINDS.indexOf(kind) + 1,
          users.length,
          ...sets.map((members) => members.length),
          ...sets.flat(),
          ...WRITE_KINDS.map((k) => items.writes?.[k] ?? 0),
        ])) as number[];
        const [newUsers = 0, ...counts] = answer.map(Number);
        const count = (at: number) => counts[at] ?? 0;
        return {
          newUsers,
          totals: {
            day,
            reads: Object.fromEntries(READ_KINDS.map((k, i) => [k, count(i)])) as Record<ReadKind, number>,
            events: count(READ_KINDS.length),
            writes: Object.fromEntries(
              WRITE_KINDS.map((k, i) => [k, count(READ_KINDS.length + 1 + i)]),
            ) as Record<WriteKind, number>,
          },
        };
      }),
    totals: async (day) => (await spend.record(day, {})).totals,
  };

  return { buckets, spend };
}
