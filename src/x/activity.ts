/**
 * X's Activity API for follow events: subscriptions (one per event type and user id, up to the
 * plan's limit) and the persistent stream that delivers the events, both profiles included.
 * Calls go through http.ts like every other; what X's answers mean here (a limit, a refused
 * account, an account that needs its own token, a duplicate) is decided at this edge.
 * The stream is not billed here: whoever consumes it records what it delivered with the
 * client's `billEvents`, since only they know which events they kept.
 */
import type { Logger } from '../log.js';
import {
  ACTIVITY_EVENT_TYPES,
  type ActivityEventType,
  readStreamItems,
  type StreamItem,
} from './activity-stream.js';
import {
  type XError,
  XForbiddenError,
  XInvalidRequestError,
  XLimitReachedError,
  XNeedsUserContextError,
  XNotFoundError,
  XProtectedError,
  XRefusedError,
  XUnavailableError,
} from './errors.js';
import type { CallOptions, OpenStream, RefineError, Send } from './http.js';
import { resourceError, slugOf, type XErrorBody, type XProblem } from './translate-error.js';
import { ID_PATTERN } from './types.js';

export {
  ACTIVITY_EVENT_TYPES,
  type ActivityEventType,
  type FollowActivity,
  type StreamItem,
} from './activity-stream.js';

export interface ActivitySubscription {
  id: string;
  eventType: ActivityEventType;
  /** The account whose follows (either way) it reports. */
  userId: string;
  tag: string | undefined;
  createdAt: string | undefined;
}

export interface NewActivitySubscription {
  eventType: ActivityEventType;
  userId: string;
  tag?: string;
}

export interface ActivityStreamOptions {
  /** Replay this many minutes before now first (X allows 1–5). */
  backfillMinutes?: number;
  /** Replay from this time (ms since epoch) first; X allows the last 5 minutes. */
  startTime?: number;
  /** The only way to stop the stream: aborting ends the iterator quietly. */
  signal: AbortSignal;
}

interface RawSubscription {
  subscription_id?: unknown;
  event_type?: unknown;
  filter?: { user_id?: unknown };
  tag?: unknown;
  created_at?: unknown;
}

const SUBSCRIPTIONS = '/2/activity/subscriptions';
const STREAM = '/2/activity/stream';
/** Subscription ids are numeric at X; anything that cannot break the path is let through. */
const SUBSCRIPTION_ID = /^[0-9A-Za-z_-]{1,64}$/;

export function createActivityCalls({
  send,
  openStream,
  log,
}: {
  send: Send;
  openStream: OpenStream;
  log: Logger;
}) {
  /** Every subscription of the app, page by page (subscriptions to other event types are left out). */
  async function* activitySubscriptions(opts: CallOptions = {}): AsyncGenerator<ActivitySubscription> {
    let token: string | undefined;
    do {
      const body = await send<{ data?: RawSubscription[]; meta?: { next_token?: string } }>({
        ...opts,
        method: 'get',
        route: SUBSCRIPTIONS,
        path: SUBSCRIPTIONS.slice(1),
        // Subscriptions are not billed, so the biggest page costs nothing more.
        searchParams: { max_results: '1000', ...(token ? { pagination_token: token } : {}) },
        billing: 'free',
      });
      for (const raw of body.data ?? []) {
        const subscription = toSubscription(raw);
        if (subscription) yield subscription;
      }
      token = body.meta?.next_token;
    } while (token);
  }

  /**
   * Subscribes the app to `eventType` for `input.userId`. Asking for one that exists resolves to
   * the existing one. Pass `opts.auth` (the account's own token) where X needs user context.
   */
  async function createActivitySubscription(
    input: NewActivitySubscription,
    opts: CallOptions = {},
  ): Promise<ActivitySubscription> {
    const endpoint = `POST ${SUBSCRIPTIONS}`;
    if (!ACTIVITY_EVENT_TYPES.includes(input.eventType))
      throw new XInvalidRequestError(`not an activity event type: ${String(input.eventType)}`, endpoint);
    if (!ID_PATTERN.test(input.userId)) throw new XInvalidRequestError('not a valid X user id', endpoint);
    try {
      const body = await send<{ data?: RawSubscription; errors?: XProblem[] }>({
        ...opts,
        method: 'post',
        route: SUBSCRIPTIONS,
        path: SUBSCRIPTIONS.slice(1),
        json: {
          event_type: input.eventType,
          filter: { user_id: input.userId },
          ...(input.tag !== undefined ? { tag: input.tag } : {}),
        },
        billing: 'free',
        refineError: refineSubscriptionError,
      });
      const created = body.data && toSubscription(body.data);
      if (created) return created;
      // HTTP 200 with only `errors`: the account is missing or suspended, or X refused it.
      const problem = body.errors?.[0];
      if (problem) throw refineSubscriptionError(resourceError(problem, endpoint, 200), problem);
      throw new XUnavailableError('X sent an unreadable subscription', endpoint, 200);
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      for await (const existing of activitySubscriptions({ signal: opts.signal })) {
        if (existing.eventType === input.eventType && existing.userId === input.userId) return existing;
      }
      throw error;
    }
  }

  /** Unsubscribes; an id X does not know (already deleted) counts as deleted. */
  async function deleteActivitySubscription(id: string, opts: CallOptions = {}): Promise<void> {
    const route = `${SUBSCRIPTIONS}/:id`;
    if (!SUBSCRIPTION_ID.test(id))
      throw new XInvalidRequestError('not a valid subscription id', `DELETE ${route}`);
    try {
      const body = await send<{ data?: { deleted?: boolean }; errors?: XProblem[] }>({
        ...opts,
        method: 'delete',
        route,
        path: `${SUBSCRIPTIONS.slice(1)}/${id}`,
        billing: 'free',
      });
      const problem = body.data ? undefined : body.errors?.[0];
      if (problem) throw resourceError(problem, `DELETE ${route}`, 200);
    } catch (error) {
      if (error instanceof XNotFoundError) return;
      throw error;
    }
  }

  /**
   * The app's activity stream: events as they happen (after any replay asked for) and a
   * keep-alive for each blank line X sends, so a caller can tell a quiet stream from a stalled
   * one. Ends quietly when `opts.signal` aborts or X ends the response; a cut connection throws
   * XUnavailableError. Refusals: XNotEnrolledError (plan), XLimitReachedError (`connections`),
   * XRateLimitedError (not sent when the bucket is known empty).
   */
  async function* activityStream(opts: ActivityStreamOptions): AsyncGenerator<StreamItem> {
    const endpoint = `GET ${STREAM}`;
    const searchParams: Record<string, string> = {};
    if (opts.backfillMinutes !== undefined) {
      if (!Number.isInteger(opts.backfillMinutes) || opts.backfillMinutes < 1)
        throw new XInvalidRequestError('backfillMinutes must be a whole number of minutes', endpoint);
      if (opts.startTime !== undefined)
        throw new XInvalidRequestError('backfillMinutes and startTime do not go together', endpoint);
      searchParams.backfill_minutes = String(opts.backfillMinutes);
    }
    if (opts.startTime !== undefined) {
      if (!Number.isFinite(opts.startTime))
        throw new XInvalidRequestError('startTime is not a time', endpoint);
      // X's format has whole seconds; rounding down replays a little more, never less.
      searchParams.start_time = new Date(opts.startTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    let body: ReadableStream<Uint8Array>;
    try {
      body = await openStream({
        route: STREAM,
        path: STREAM.slice(1),
        searchParams,
        signal: opts.signal,
        refineError: refineStreamError,
      });
    } catch (error) {
      if (opts.signal.aborted) return;
      throw error;
    }
    yield* readStreamItems(body, { endpoint, signal: opts.signal, log });
  }

  return { activitySubscriptions, createActivitySubscription, deleteActivitySubscription, activityStream };
}

function toSubscription(raw: RawSubscription): ActivitySubscription | undefined {
  const eventType = raw.event_type as ActivityEventType;
  const userId = raw.filter?.user_id;
  if (typeof raw.subscription_id !== 'string' || typeof userId !== 'string') return undefined;
  if (!ACTIVITY_EVENT_TYPES.includes(eventType)) return undefined;
  return {
    id: raw.subscription_id,
    eventType,
    userId,
    tag: typeof raw.tag === 'string' ? raw.tag : undefined,
    createdAt: typeof raw.created_at === 'string' ? raw.created_at : undefined,
  };
}

/** X's wording for a second subscription to the same event type and user: 409, or a "duplicate" problem. */
function isDuplicate(error: unknown): error is XError {
  return (
    (error instanceof XForbiddenError || error instanceof XInvalidRequestError) &&
    (error.status === 409 || /duplicate/i.test(error.message))
  );
}

function detailOf(body: XErrorBody | undefined, fallback: string): string {
  return body?.detail ?? body?.errors?.[0]?.detail ?? body?.title ?? fallback;
}

const refineSubscriptionError: RefineError = (error, body) => {
  const slug = slugOf(body?.type ?? body?.errors?.[0]?.type);
  const reason = body?.reason ?? body?.errors?.[0]?.reason;
  const detail = detailOf(body, 'X refused the subscription');
  if (slug === 'unsupported-authentication')
    return new XNeedsUserContextError(detail, error.endpoint, error.status);
  // The plan's subscription limit, in either of the forms X might use.
  if (slug === 'usage-capped' || (slug === 'client-forbidden' && /limit|cap/i.test(reason ?? '')))
    return new XLimitReachedError(detail, error.endpoint, error.status, 'subscriptions');
  if (error instanceof XProtectedError) return new XRefusedError(detail, error.endpoint, error.status);
  return error;
};

const refineStreamError: RefineError = (error, body) => {
  const issue = (body as { connection_issue?: string } | undefined)?.connection_issue;
  if (issue === 'TooManyConnections' || slugOf(body?.type) === 'streaming-connection')
    return new XLimitReachedError(
      detailOf(body, 'too many connections'),
      error.endpoint,
      error.status,
      'connections',
    );
  return error;
};
