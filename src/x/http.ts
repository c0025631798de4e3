/**
 * The one place Flock talks HTTP to X. Each call goes through the same steps: refuse reads
 * over the daily budget, refuse (or wait out) a bucket known to be empty, reserve a request
 * from it, send with ky (retrying 5xx, network failures and timeouts with jittered backoff,
 * never a 429), record the rate-limit headers of every attempt, and translate failures into
 * XError kinds. A stream (`openStream`) takes the same bucket and error steps, once, and comes
 * back as the answer's body, unread. When the buckets and spend are shared with other processes,
 * each shared step is awaited where it must happen in order: the budget pulled before a read, the
 * bucket taken before sending, the headers told before the answer is returned.
 */
import ky, { HTTPError, type KyInstance, TimeoutError } from 'ky';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { CostMeter, SpendTally } from './cost-meter.js';
import { type XError, XRateLimitedError, XUnavailableError } from './errors.js';
import type { WriteKind } from './prices.js';
import type { RateLimits } from './rate-limits.js';
import { httpError, type XErrorBody } from './translate-error.js';
import type { TryShared } from './try-shared.js';
import type { UserAuth } from './types.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** The first backoff; each retry doubles it, before full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  totalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 3, baseDelayMs: 500, maxDelayMs: 5_000, totalMs: 30_000 };

export interface HttpOptions {
  apiUrl: string;
  bearerToken: string;
  clock: Clock;
  rateLimits: RateLimits;
  costMeter: CostMeter;
  log: Logger;
  /** How a failed shared step falls back (createTryShared); the client's other shared steps use the same. */
  tryShared: TryShared;
  /** Per attempt. */
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface CallOptions {
  /** Send with this user's token instead of the app's Bearer token. */
  auth?: UserAuth;
  /** When the bucket is empty, wait for its reset if that comes within this many ms. */
  waitForRateLimitMs?: number;
  signal?: AbortSignal;
  /** Adds what this call made newly billable today (users returned) to the caller's own count. */
  tally?: SpendTally;
}

/** The rate-limit bucket a request spends from: the endpoint with the app's or one user's credential. */
export function bucketOf(endpoint: string, auth?: UserAuth): string {
  return `${endpoint} ${auth ? `user:${auth.key}` : 'app'}`;
}

export interface RequestSpec extends CallOptions {
  method: 'get' | 'post' | 'delete';
  /** The route template, e.g. `/2/users/:id/followers`: names the endpoint and its bucket. */
  route: string;
  /** The concrete path, without the leading slash. */
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  /** Billed per user returned (reads) or per request (writes). */
  billing: 'user-read' | 'write' | 'free';
  /** What a write is billed as; follow (and unfollow) when absent. */
  writeKind?: WriteKind;
  /** Turns the generic translation into an endpoint's own meaning, before any bucket is marked empty. */
  refineError?: RefineError;
}

export type RefineError = (error: XError, body: XErrorBody | undefined) => XError;

export interface StreamSpec {
  /** The route template; the app's Bearer token is always used. */
  route: string;
  path: string;
  searchParams?: Record<string, string>;
  /** Ends the stream; the response is never timed out, so this is the only way to stop it. */
  signal: AbortSignal;
  refineError?: RefineError;
}

interface Context {
  bucket: string;
}

export type Send = <T>(spec: RequestSpec) => Promise<T>;
/** Resolves with the body of a 2xx answer, unread, or rejects with an XError. */
export type OpenStream = (spec: StreamSpec) => Promise<ReadableStream<Uint8Array>>;

export function createHttp(options: HttpOptions): { send: Send; openStream: OpenStream } {
  const { clock, rateLimits, costMeter, retry, tryShared } = options;
  /** Sends Redis this process's spend and pulls every process's; failing, this process's own stands. */
  const shareSpend = () => tryShared('spend', () => costMeter.share(), nothing);
  const recordHeaders = (
    _request: Request,
    kyOptions: { context: Record<string, unknown> },
    response: Response,
  ) => record((kyOptions.context as unknown as Context).bucket, response.headers);
  const common = {
    prefixUrl: options.apiUrl,
    timeout: options.timeoutMs,
    hooks: { afterResponse: [recordHeaders] },
  };
  // One ky instance per credential kind: the app's Bearer token is part of the instance, a
  // user's token is added per call.
  const appApi = ky.create({ ...common, headers: { authorization: `Bearer ${options.bearerToken}` } });
  const userApi = ky.create(common);
  // No afterResponse hook (ky would tee the body for it), no timeout (the answer never ends), no
  // retry (the caller reconnects, with backfill).
  const streamApi = ky.create({
    prefixUrl: options.apiUrl,
    timeout: false,
    retry: 0,
    headers: { authorization: `Bearer ${options.bearerToken}` },
  });

  async function send<T>(spec: RequestSpec): Promise<T> {
    const endpoint = `${spec.method.toUpperCase()} ${spec.route}`;
    const bucket = bucketOf(endpoint, spec.auth);
    if (spec.billing === 'user-read') {
      // Other processes' spend counts against the same budget.
      if (costMeter.isShared) await shareSpend();
      costMeter.assertReadAllowed(endpoint);
    }
    const release = await reserveWhenOpen(spec, endpoint, bucket);

    const api: KyInstance = spec.auth ? userApi : appApi;
    const started = clock.now();
    try {
      const response = await api(spec.path, {
        method: spec.method,
        searchParams: spec.searchParams,
        json: spec.json,
        ...(spec.auth ? { headers: { authorization: `Bearer ${spec.auth.accessToken}` } } : {}),
        signal: spec.signal,
        context: { bucket } satisfies Context,
        retry: {
          limit: retry.limit,
          methods: [spec.method],
          // 429 is absent on purpose: a rate limit is waited out by the caller, never retried blindly.
          statusCodes: [500, 502, 503, 504],
          afterStatusCodes: [],
          retryOnTimeout: true,
          delay: (attempt) => retry.baseDelayMs * 2 ** (attempt - 1),
          backoffLimit: retry.maxDelayMs,
          jitter: true,
          shouldRetry: () =>
            clock.now() - started >= retry.totalMs || rateLimits.blockedUntil(bucket) !== undefined
              ? false
              : undefined,
        },
      });
      const body = (await readBody(response)) as T | undefined;
      if (body === undefined)
        throw new XUnavailableError('X sent an unreadable answer', endpoint, response.status);
      if (spec.billing === 'write') {
        costMeter.recordWrite(spec.writeKind);
        if (costMeter.isShared) await shareSpend();
      }
      return body;
    } catch (error) {
      throw await translate(error, endpoint, bucket, spec.refineError);
    } finally {
      release();
    }
  }

  const openStream: OpenStream = async (spec) => {
    const endpoint = `GET ${spec.route}`;
    const bucket = bucketOf(endpoint);
    const release = await reserveWhenOpen(spec, endpoint, bucket);
    try {
      const response = await streamApi(spec.path, {
        searchParams: spec.searchParams,
        signal: spec.signal,
      });
      await record(bucket, response.headers);
      const { body } = response;
      if (!body)
        throw new XUnavailableError('X answered the stream without a body', endpoint, response.status);
      return body;
    } catch (error) {
      if (error instanceof HTTPError) await record(bucket, error.response.headers);
      throw await translate(error, endpoint, bucket, spec.refineError);
    } finally {
      release();
    }
  };

  return { send, openStream };

  /** Records an answer's rate-limit headers here and, shared, for every process before the answer goes on. */
  function record(bucket: string, headers: Headers): Promise<void> | undefined {
    rateLimits.update(bucket, headers);
    if (!rateLimits.isShared) return undefined;
    return tryShared('rate limits', () => rateLimits.reportShared(bucket, headers), nothing);
  }

  /**
   * Reserves a request from the bucket, checked and taken in one step, so callers cannot race:
   * with no await between here, in one Lua script when shared with other processes.
   */
  async function reserveWhenOpen(
    spec: Pick<CallOptions, 'waitForRateLimitMs' | 'signal'>,
    endpoint: string,
    bucket: string,
  ): Promise<() => void> {
    for (;;) {
      const until = rateLimits.isShared ? await takeShared(bucket) : rateLimits.blockedUntil(bucket);
      if (until === undefined) return rateLimits.reserve(bucket);
      const wait = until - clock.now();
      if (spec.waitForRateLimitMs === undefined || wait > spec.waitForRateLimitMs) {
        throw new XRateLimitedError(
          'the rate-limit bucket is empty; nothing was sent',
          endpoint,
          undefined,
          until,
          bucket,
          'rate-limit',
          true,
        );
      }
      options.log.debug('waiting for an X rate-limit reset', { endpoint, waitMs: wait });
      await clock.sleep(wait, spec.signal);
    }
  }

  /** Undefined when a request was taken from the bucket as every process sees it, else when it refills. */
  async function takeShared(bucket: string): Promise<number | undefined> {
    // What this process knows to be empty is empty for all: no need to ask.
    const known = rateLimits.blockedUntil(bucket);
    if (known !== undefined) return known;
    return tryShared(
      'rate limits',
      () => rateLimits.takeShared(bucket),
      // Asked again: another call may have learned something here while Redis was failing.
      () => rateLimits.blockedUntil(bucket),
    );
  }

  async function translate(
    error: unknown,
    endpoint: string,
    bucket: string,
    refine: RefineError | undefined,
  ): Promise<unknown> {
    if (error instanceof HTTPError) {
      const { response } = error;
      const reset = Number(response.headers.get('x-rate-limit-reset'));
      const body = (await readBody(response)) as XErrorBody | undefined;
      let translated: XError = httpError({
        endpoint,
        bucket,
        status: response.status,
        body,
        resetAt: Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined,
        now: clock.now(),
      });
      if (refine) translated = refine(translated, body);
      if (translated instanceof XRateLimitedError) {
        rateLimits.exhaust(bucket, translated.resetAt);
        const { resetAt } = translated;
        if (rateLimits.isShared)
          await tryShared('rate limits', () => rateLimits.exhaustShared(bucket, resetAt), nothing);
      }
      return translated;
    }
    if (isCallerAbort(error)) return error;
    if (error instanceof TimeoutError) {
      return new XUnavailableError('X did not answer in time', endpoint, undefined, { cause: error });
    }
    if (error instanceof XUnavailableError) return error;
    return new XUnavailableError('X could not be reached', endpoint, undefined, { cause: error });
  }
}

/** The fallback of a shared step whose local part is already done. */
function nothing(): undefined {
  return undefined;
}

function isCallerAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

async function readBody(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : {};
  } catch {
    return undefined;
  }
}
