/**
 * Reading X's activity stream: one HTTP answer that never ends, read as it arrives and cut
 * into lines (an object may span several reads; several may share one), each line a JSON event
 * or, when blank, a keep-alive. Lines that are not follow events are skipped with a debug log.
 */
import type { Logger } from '../log.js';
import { XUnavailableError } from './errors.js';
import { normalizeUser, type RawUser } from './raw-user.js';
import { ID_PATTERN, type XUser } from './types.js';

export const ACTIVITY_EVENT_TYPES = ['follow.follow', 'follow.unfollow'] as const;
export type ActivityEventType = (typeof ACTIVITY_EVENT_TYPES)[number];

/** `source` followed or unfollowed `target`; `filterUserId` is the subscribed one of the two. */
export interface FollowActivity {
  /** De-duplicate by this: X may deliver an event more than once. */
  uuid: string;
  type: ActivityEventType;
  filterUserId: string;
  tag: string | undefined;
  /** When `sourceGone`, only the id is known: `username` and `name` are the id too. */
  source: XUser;
  target: XUser;
  /**
   * The source came as a bare id, as X sends a user who is gone (suspended or deactivated):
   * look them up to tell which.
   */
  sourceGone: boolean;
}

export type StreamItem = { kind: 'event'; event: FollowActivity } | { kind: 'keep-alive' };

/**
 * The items on `body` until X ends it (return) or the connection is cut (XUnavailableError);
 * an abort through `signal` returns quietly. Stopping the iteration lets the connection go.
 */
export async function* readStreamItems(
  body: ReadableStream<Uint8Array>,
  { endpoint, signal, log }: { endpoint: string; signal: AbortSignal; log: Logger },
): AsyncGenerator<StreamItem> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  // The abort goes to the reader itself: the signal fetch was given may be one Node combined
  // from several, and on Node 20 the garbage collector can drop that link, leaving a stalled
  // stream that an abort never reaches.
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return;
        throw new XUnavailableError('the activity stream was cut off', endpoint, undefined, {
          cause: error,
        });
      }
      if (signal.aborted) return;
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
        const item = parseLine(buffer.slice(0, newline), log);
        buffer = buffer.slice(newline + 1);
        if (item) yield item;
      }
    }
    buffer += decoder.decode();
    const last = buffer.trim() ? parseLine(buffer, log) : undefined;
    if (last) yield last;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Also runs when the caller stops iterating: the connection is let go at once.
    reader.cancel().catch(() => undefined);
  }
}

function parseLine(line: string, log: Logger): StreamItem | undefined {
  const text = line.trim();
  if (!text) return { kind: 'keep-alive' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    log.debug('skipping a malformed line on the activity stream', { length: text.length });
    return undefined;
  }
  const event = toFollowActivity(json);
  if (!event) {
    log.debug('skipping an activity stream object that is not a follow event', {
      keys: isObject(json) ? Object.keys(json) : typeof json,
    });
    return undefined;
  }
  return { kind: 'event', event };
}

function toFollowActivity(json: unknown): FollowActivity | undefined {
  const data = isObject(json) ? json.data : undefined;
  if (!isObject(data)) return undefined;
  const type = data.event_type as ActivityEventType;
  const filter = isObject(data.filter) ? data.filter : {};
  const payload = isObject(data.payload) ? data.payload : {};
  const named = userOf(payload.source);
  const source = named ?? goneUserOf(payload.source);
  const target = userOf(payload.target);
  if (
    !ACTIVITY_EVENT_TYPES.includes(type) ||
    typeof data.event_uuid !== 'string' ||
    typeof filter.user_id !== 'string' ||
    !source ||
    !target
  )
    return undefined;
  return {
    uuid: data.event_uuid,
    type,
    filterUserId: filter.user_id,
    tag: typeof data.tag === 'string' ? data.tag : undefined,
    source,
    target,
    sourceGone: !named,
  };
}

/** `{data: user}` as the reference shows it; a bare user object is read too. */
function userOf(value: unknown): XUser | undefined {
  const user = isObject(value) && isObject(value.data) ? value.data : value;
  if (!isObject(user) || typeof user.id !== 'string' || typeof user.username !== 'string') return undefined;
  return normalizeUser({
    ...user,
    name: typeof user.name === 'string' ? user.name : user.username,
  } as RawUser);
}

/**
 * `{data: {id}}` alone: X no longer shows the profile of a user who is gone. Named by the id, as
 * Flock names any user it cannot name.
 */
function goneUserOf(value: unknown): XUser | undefined {
  const user = isObject(value) && isObject(value.data) ? value.data : value;
  if (!isObject(user) || typeof user.id !== 'string' || !ID_PATTERN.test(user.id)) return undefined;
  return { id: user.id, username: user.id, name: user.id };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
