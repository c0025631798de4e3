/**
 * Activity events and `GET /2/activity/stream`: every follow or unfollow that touches a
 * subscribed account becomes an event, kept in a log (emulator clock) for backfill and written
 * to each of the app's open streams as one JSON object per line, with a blank line as
 * keep-alive. Each event written is billed, de-duplicated per UTC day by event_uuid. A follower
 * who is suspended or deactivates can be reported as unfollowing (settings.goneFollowers).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ActivityEventType, ActivitySettings } from './activity-settings.js';
import type { ActivitySubscriptions, EmuSubscription } from './activity-subscriptions.js';
import type { BillingMeter } from './billing.js';
import { type Answer, invalidRequest, PROBLEM, problemType, unsupportedAuthentication } from './problems.js';
import type { ApiRequest } from './users-api.js';
import type { EmuUser, FollowChange, StateChange, World } from './world.js';

export interface LoggedEvent {
  /** When X produced it (emulator clock). */
  at: number;
  appId: string;
  uuid: string;
  /** What goes on the wire: `{data:{event_uuid, filter, event_type, tag?, payload}}`. */
  body: { data: Record<string, unknown> };
}

export interface StreamConnectionInfo {
  id: number;
  appId: string;
  openedAt: number;
  /** Events written to it so far, backfill and repeats included. */
  delivered: number;
  stalled: boolean;
}

interface Connection extends StreamConnectionInfo {
  res: ServerResponse;
  /** `end_time`: nothing later is sent, and the response ends once the clock passes it. */
  until: number | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Pieces waiting to go out when writes are split; `null` ends the response. */
  queue: (Buffer | null)[];
  pumping: boolean;
}

export interface StreamDeps {
  world: World;
  billing: BillingMeter;
  settings: ActivitySettings;
  subscriptions: ActivitySubscriptions;
  render: (user: EmuUser) => Record<string, unknown>;
  now: () => number;
}

const STREAM_PARAMS = ['backfill_minutes', 'start_time', 'end_time'];
const LOG_KEPT_MS = 60 * 60_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

export class ActivityStream {
  readonly log: LoggedEvent[] = [];
  readonly #connections = new Set<Connection>();
  #nextId = 1;
  #duplicates = 0;

  constructor(private readonly deps: StreamDeps) {}

  connections(): StreamConnectionInfo[] {
    return [...this.#connections].map(({ id, appId, openedAt, delivered, stalled }) => ({
      id,
      appId,
      openedAt,
      delivered,
      stalled,
    }));
  }

  /** Turns a change to the follow graph into one event per subscription it concerns. */
  record(change: FollowChange): void {
    const { world, subscriptions, settings } = this.deps;
    const source = world.users.get(change.sourceId);
    const target = world.users.get(change.targetId);
    // Suspended and deactivated accounts are hidden everywhere else; their follows are too.
    if (source?.state !== 'active' || target?.state !== 'active') return;
    const eventType: ActivityEventType = change.type === 'follow' ? 'follow.follow' : 'follow.unfollow';
    for (const sub of subscriptions.matching(eventType, [source.id, target.id])) {
      const [tracked, other] = sub.userId === source.id ? [source, target] : [target, source];
      // The reference: protected accounts deliver nothing.
      if (tracked.protected) continue;
      if (other.protected && settings.protectedCounterparts === 'withhold') continue;
      if (sub.webhookId !== undefined) continue;
      this.#deliver(sub, eventType, {
        source: { data: this.deps.render(source) },
        target: { data: this.deps.render(target) },
      });
    }
  }

  /**
   * A user who becomes suspended or deactivated. X does not say whether the accounts they
   * followed hear of it; with `goneFollowers: 'unfollow'` each subscribed one gets a
   * follow.unfollow whose source is the bare id, since X no longer shows a gone user's profile.
   * Their follows stay in the graph, so nothing is said if they come back.
   */
  recordGone(change: StateChange): void {
    const { world, subscriptions, settings } = this.deps;
    if (change.from !== 'active' || change.to === 'active' || settings.goneFollowers === 'silent') return;
    const gone = world.users.get(change.userId);
    if (!gone) return;
    for (const targetId of world.list('following', gone.id)) {
      const target = world.users.get(targetId);
      if (target?.state !== 'active' || target.protected) continue;
      if (gone.protected && settings.protectedCounterparts === 'withhold') continue;
      for (const sub of subscriptions.matching('follow.unfollow', [target.id])) {
        if (sub.webhookId !== undefined) continue;
        this.#deliver(sub, 'follow.unfollow', {
          source: { data: { id: gone.id } },
          target: { data: this.deps.render(target) },
        });
      }
    }
  }

  /** Logs the event for `sub` and writes it to the app's live streams. */
  #deliver(sub: EmuSubscription, eventType: ActivityEventType, payload: Record<string, unknown>): void {
    const uuid = randomUUID();
    const event: LoggedEvent = {
      at: this.deps.now(),
      appId: sub.appId,
      uuid,
      body: {
        data: {
          event_uuid: uuid,
          filter: { user_id: sub.userId },
          event_type: eventType,
          ...(sub.tag !== undefined ? { tag: sub.tag } : {}),
          payload,
        },
      },
    };
    this.#append(event);
    const live = [...this.#connections].filter(
      (c) => c.appId === event.appId && !c.stalled && (c.until === undefined || event.at <= c.until),
    );
    let copies = 1;
    if (live.length && this.#duplicates > 0) {
      this.#duplicates -= 1;
      copies = 2;
    }
    for (const c of live) for (let n = 0; n < copies; n++) this.#send(c, [event]);
  }

  open(req: ApiRequest, res: ServerResponse, headers: Record<string, string>): Answer | undefined {
    if (req.identity.kind !== 'app') return unsupportedAuthentication('app');
    const window = this.#window(req.query);
    if ('status' in window) return window;
    const appId = req.identity.appId;
    if ([...this.#connections].filter((c) => c.appId === appId).length >= this.deps.settings.maxConnections)
      return tooManyConnections();

    res.writeHead(200, {
      ...headers,
      'content-type': this.deps.settings.streamContentType,
      'cache-control': 'no-cache',
    });
    res.flushHeaders();
    const c: Connection = {
      id: this.#nextId++,
      appId,
      openedAt: this.deps.now(),
      delivered: 0,
      stalled: false,
      res,
      until: window.to,
      timer: undefined,
      queue: [],
      pumping: false,
    };
    this.#connections.add(c);
    res.on('error', () => undefined);
    res.on('close', () => {
      clearInterval(c.timer);
      this.#connections.delete(c);
    });
    const { from, to } = window;
    if (from !== undefined) {
      const replay = this.log
        .filter((e) => e.appId === appId && e.at >= from && (to === undefined || e.at <= to))
        .sort((a, b) => a.at - b.at);
      // All in one write: clients must split lines, not reads.
      if (replay.length) this.#send(c, replay);
    }
    if (to !== undefined && to <= this.deps.now()) {
      this.#end(c);
      return undefined;
    }
    c.timer = setInterval(() => {
      if (c.until !== undefined && this.deps.now() >= c.until) this.#end(c);
      else if (!c.stalled) this.#write(c, '\r\n');
    }, this.deps.settings.keepAliveMs);
    c.timer.unref();
    return undefined;
  }

  drop(how: 'reset' | 'end'): number {
    const all = [...this.#connections];
    for (const c of all) {
      if (how === 'end') this.#end(c);
      else {
        clearInterval(c.timer);
        this.#connections.delete(c);
        c.res.destroy();
      }
    }
    return all.length;
  }

  stall(): number {
    for (const c of this.#connections) c.stalled = true;
    return this.#connections.size;
  }

  /** Writes `text` as it is on every open stream. */
  sendRaw(text: string): number {
    for (const c of this.#connections) this.#write(c, text);
    return this.#connections.size;
  }

  duplicate(times: number): void {
    this.#duplicates += times;
  }

  #append(event: LoggedEvent): void {
    this.log.push(event);
    const oldest = event.at - LOG_KEPT_MS;
    while (this.log[0] && this.log[0].at < oldest) this.log.shift();
  }

  #send(c: Connection, events: LoggedEvent[]): void {
    this.#write(c, events.map((e) => `${JSON.stringify(e.body)}\r\n`).join(''));
    c.delivered += events.length;
    this.deps.billing.events(events.map((e) => e.uuid));
  }

  #write(c: Connection, text: string): void {
    const size = this.deps.settings.writeChunkBytes;
    if (!size) {
      if (!c.res.destroyed && !c.res.writableEnded) c.res.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += size) c.queue.push(bytes.subarray(i, i + size));
    this.#pump(c);
  }

  #end(c: Connection): void {
    clearInterval(c.timer);
    this.#connections.delete(c);
    c.queue.push(null);
    this.#pump(c);
  }

  /** Sends queued pieces a few ms apart, so that they reach the client as separate reads. */
  #pump(c: Connection): void {
    if (c.pumping) return;
    c.pumping = true;
    const next = () => {
      const piece = c.queue.shift();
      if (piece === undefined || c.res.destroyed || c.res.writableEnded) {
        c.pumping = false;
        return;
      }
      if (piece === null) {
        c.res.end();
        c.pumping = false;
        return;
      }
      c.res.write(piece);
      setTimeout(next, this.deps.settings.writeChunkBytes ? 3 : 0);
    };
    next();
  }

  /** The replay window the query asks for: `from` (backfill) and `to` (end_time), in ms. */
  #window(query: URLSearchParams): { from: number | undefined; to: number | undefined } | Answer {
    for (const key of query.keys()) {
      if (!STREAM_PARAMS.includes(key)) {
        return invalidRequest(
          key,
          query.get(key) ?? '',
          `The query parameter [${key}] is not one of [${STREAM_PARAMS.join(',')}]`,
        );
      }
    }
    const now = this.deps.now();
    const maxMinutes = this.deps.settings.backfillMaxMinutes;
    const backfill = query.get('backfill_minutes');
    const start = query.get('start_time');
    const end = query.get('end_time');
    let from: number | undefined;
    if (backfill !== null) {
      if (!/^\d+$/.test(backfill) || Number(backfill) < 1 || Number(backfill) > maxMinutes) {
        return invalidRequest(
          'backfill_minutes',
          backfill,
          `The \`backfill_minutes\` query parameter value [${backfill}] is not between 1 and ${maxMinutes}`,
        );
      }
      // X does not say what both at once would mean; this emulator refuses the combination.
      if (start !== null)
        return invalidRequest('start_time', start, 'backfill_minutes and start_time cannot be used together');
      from = now - Number(backfill) * 60_000;
    }
    if (start !== null) {
      const ms = ISO_TIME.test(start) ? Date.parse(start) : Number.NaN;
      if (!Number.isFinite(ms) || ms < now - maxMinutes * 60_000 || ms > now) {
        return invalidRequest(
          'start_time',
          start,
          `The \`start_time\` query parameter value [${start}] must be a time within the last ${maxMinutes} minutes`,
        );
      }
      from = ms;
    }
    let to: number | undefined;
    if (end !== null) {
      to = ISO_TIME.test(end) ? Date.parse(end) : Number.NaN;
      if (!Number.isFinite(to) || (from !== undefined && to <= from)) {
        return invalidRequest(
          'end_time',
          end,
          `The \`end_time\` query parameter value [${end}] must be a time after start_time`,
        );
      }
    }
    return { from, to };
  }
}

/** X's v2 streams refuse a connection over the app's limit with this problem (429). */
function tooManyConnections(): Answer {
  return {
    status: 429,
    contentType: PROBLEM,
    body: {
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: problemType('streaming-connection'),
    },
  };
}
