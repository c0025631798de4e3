/**
 * X's Activity API (XAA) for follow events, as reference/x-api.md describes it: subscriptions
 * per event type and user id, an event for every change to the follow graph that touches a
 * subscribed account, and the persistent stream that delivers them (with backfill). This file
 * holds the settings, the auth rules every activity endpoint shares, and what tests reach for;
 * activity-subscriptions.ts and activity-stream.ts do the work.
 */
import type { ServerResponse } from 'node:http';
import {
  type ActivityEventType,
  type ActivitySettings,
  defaultActivitySettings,
} from './activity-settings.js';
import { ActivityStream, type LoggedEvent, type StreamConnectionInfo } from './activity-stream.js';
import { ActivitySubscriptions, type EmuSubscription } from './activity-subscriptions.js';
import type { BillingMeter } from './billing.js';
import { type Answer, clientNotEnrolled, forbidden } from './problems.js';
import type { ApiRequest, ApiSettings } from './users-api.js';
import type { EmuUser, World } from './world.js';

export { ACTIVITY_EVENT_TYPES, type ActivityEventType, type ActivitySettings } from './activity-settings.js';

export const ACTIVITY_ENDPOINTS = [
  'POST /2/activity/subscriptions',
  'GET /2/activity/subscriptions',
  'PUT /2/activity/subscriptions/:id',
  'DELETE /2/activity/subscriptions/:id',
  'GET /2/activity/stream',
] as const;

/** The user fields an event's `source` and `target` carry. */
const PAYLOAD_FIELDS = 'description,profile_image_url,protected,public_metrics,verified';

/** Scopes a user token needs here. X does not list them for follow events; follows.read is the natural guess. */
const USER_SCOPES = ['tweet.read', 'users.read', 'follows.read'];

export interface ActivityDeps {
  world: World;
  billing: BillingMeter;
  /** The emulator's API settings: `notEnrolled` and `notFoundStyle` apply here too. */
  apiSettings: ApiSettings;
  /** Renders a user as the user endpoints do, with the fields asked for. */
  render: (user: EmuUser, fields: string) => Record<string, unknown>;
  now: () => number;
}

export class Activity {
  readonly settings: ActivitySettings;
  readonly #apiSettings: ApiSettings;
  readonly #subscriptions: ActivitySubscriptions;
  readonly #stream: ActivityStream;

  constructor(deps: ActivityDeps, settings: Partial<ActivitySettings> = {}) {
    this.settings = { ...defaultActivitySettings(), ...settings };
    this.#apiSettings = deps.apiSettings;
    this.#subscriptions = new ActivitySubscriptions(
      deps.world,
      this.settings,
      () => deps.apiSettings.notFoundStyle,
      deps.now,
    );
    this.#stream = new ActivityStream({
      world: deps.world,
      billing: deps.billing,
      settings: this.settings,
      subscriptions: this.#subscriptions,
      render: (user) => deps.render(user, PAYLOAD_FIELDS),
      now: deps.now,
    });
    deps.world.onFollowChange((change) => this.#stream.record(change));
    deps.world.onStateChange((change) => this.#stream.recordGone(change));
  }

  /** Every app's subscriptions, oldest first (copies). */
  get subscriptions(): EmuSubscription[] {
    return this.#subscriptions.list().map((s) => ({ ...s }));
  }

  /** Stream connections open now. */
  get connections(): StreamConnectionInfo[] {
    return this.#stream.connections();
  }

  /** Events X produced (kept an hour, emulator clock), oldest first. */
  get events(): readonly LoggedEvent[] {
    return this.#stream.log;
  }

  /** Adds a subscription without going through HTTP or its rules, for tests that start subscribed. */
  subscribe(input: {
    appId: string;
    eventType: ActivityEventType;
    userId: string;
    tag?: string;
  }): EmuSubscription {
    return { ...this.#subscriptions.add(input.appId, input.eventType, input.userId, input.tag, undefined) };
  }

  /** Fault: cuts every open stream, abruptly (`reset`, the default) or with a clean end of the response. */
  dropStreams(how: 'reset' | 'end' = 'reset'): number {
    return this.#stream.drop(how);
  }

  /** Fault: every open stream stops sending anything, keep-alives included, and stays open. */
  stallStreams(): number {
    return this.#stream.stall();
  }

  /** Fault: the next `times` events sent live go out twice on each stream. */
  duplicateNextEvents(times = 1): void {
    this.#stream.duplicate(times);
  }

  /** Fault: writes `text` as it is on every open stream (a malformed line, an object X might add). */
  sendRaw(text: string): number {
    return this.#stream.sendRaw(text);
  }

  /** The subscription endpoints. */
  handle(req: ApiRequest): Answer {
    const refusal = this.#refusal(req);
    if (refusal) return refusal;
    const id = req.params.id ?? '';
    switch (req.endpoint) {
      case 'POST /2/activity/subscriptions':
        return this.#subscriptions.create(req);
      case 'GET /2/activity/subscriptions':
        return this.#subscriptions.page(req);
      case 'PUT /2/activity/subscriptions/:id':
        return this.#subscriptions.update(req, id);
      case 'DELETE /2/activity/subscriptions/:id':
        return this.#subscriptions.remove(req, id);
      default:
        return {
          status: 404,
          body: { title: 'Not Found', type: 'about:blank', status: 404, detail: 'Not Found' },
        };
    }
  }

  /**
   * `GET /2/activity/stream`: takes over `res` and answers 200, or returns the refusal to send.
   * `headers` (the rate-limit headers) go on the 200.
   */
  openStream(req: ApiRequest, res: ServerResponse, headers: Record<string, string>): Answer | undefined {
    // The stream refuses user tokens outright (403 unsupported-authentication), scopes or not.
    if (this.#apiSettings.notEnrolled.has(req.endpoint)) return clientNotEnrolled(req.identity.appId);
    return this.#stream.open(req, res, headers);
  }

  #refusal(req: ApiRequest): Answer | undefined {
    if (this.#apiSettings.notEnrolled.has(req.endpoint)) return clientNotEnrolled(req.identity.appId);
    const { identity } = req;
    if (identity.kind === 'user' && USER_SCOPES.some((s) => !identity.scopes.has(s))) return forbidden();
    return undefined;
  }
}
