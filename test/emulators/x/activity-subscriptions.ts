/**
 * Activity API subscriptions: one per event type and user id per app, up to the plan's limit,
 * with X's validation and problem bodies. Subscriptions belong to the app whichever token made
 * them (app Bearer or one of its users' tokens).
 */
import { ACTIVITY_EVENT_TYPES, type ActivityEventType, type ActivitySettings } from './activity-settings.js';
import {
  type Answer,
  invalidRequest,
  notFoundProblem,
  PROBLEM,
  problemType,
  resourceProblem,
  suspendedProblem,
  unsupportedAuthentication,
} from './problems.js';
import type { ApiRequest } from './users-api.js';
import { World } from './world.js';

export interface EmuSubscription {
  id: string;
  /** The app that owns it. */
  appId: string;
  eventType: ActivityEventType;
  userId: string;
  tag: string | undefined;
  /** Accepted and kept; webhook delivery is not emulated, so such a subscription sends nothing to the stream. */
  webhookId: string | undefined;
  createdAt: number;
  updatedAt: number;
}

const ID = /^[0-9]{1,19}$/;
const CREATE_FIELDS = new Set(['event_type', 'filter', 'tag', 'webhook_id']);
const UPDATE_FIELDS = new Set(['tag', 'webhook_id']);
/** X does not document a maximum tag length; 200 characters is this emulator's. */
const TAG_MAX = 200;

export class ActivitySubscriptions {
  readonly #byId = new Map<string, EmuSubscription>();
  readonly #tokens = new Map<string, { appId: string; offset: number }>();
  #nextId = 1_800_000_000_000_000_000n;

  constructor(
    private readonly world: World,
    private readonly settings: ActivitySettings,
    private readonly notFoundStyle: () => '200' | '404',
    private readonly now: () => number,
  ) {}

  /** Oldest first, one app's or every app's. */
  list(appId?: string): EmuSubscription[] {
    return [...this.#byId.values()].filter((s) => appId === undefined || s.appId === appId);
  }

  /** The subscriptions an event of this type about any of `userIds` goes to. */
  matching(eventType: ActivityEventType, userIds: string[]): EmuSubscription[] {
    return this.list().filter((s) => s.eventType === eventType && userIds.includes(s.userId));
  }

  add(
    appId: string,
    eventType: ActivityEventType,
    userId: string,
    tag: string | undefined,
    webhookId: string | undefined,
  ): EmuSubscription {
    const now = this.now();
    const sub: EmuSubscription = {
      id: String(this.#nextId++),
      appId,
      eventType,
      userId,
      tag,
      webhookId,
      createdAt: now,
      updatedAt: now,
    };
    this.#byId.set(sub.id, sub);
    return sub;
  }

  create(req: ApiRequest): Answer {
    const body = req.json;
    if (!isObject(body)) return invalidRequest('body', '', 'The request body must be a JSON object.');
    const unknown = unknownField(body, CREATE_FIELDS);
    if (unknown) return unknown;
    const eventType = body.event_type;
    if (!ACTIVITY_EVENT_TYPES.includes(eventType as ActivityEventType)) {
      return invalidRequest(
        'event_type',
        String(eventType),
        `$.event_type: does not have a value in the enumeration [${ACTIVITY_EVENT_TYPES.join(', ')}]`,
      );
    }
    const filter = body.filter;
    if (!isObject(filter))
      return invalidRequest('filter', String(filter), '$.filter: is missing but it is required');
    const unknownInFilter = unknownField(filter, new Set(['user_id']), 'filter.');
    if (unknownInFilter) return unknownInFilter;
    const userId = filter.user_id;
    if (typeof userId !== 'string' || !ID.test(userId)) {
      return invalidRequest(
        'filter.user_id',
        String(userId),
        `$.filter.user_id: the value [${String(userId)}] does not match ^[0-9]{1,19}$`,
      );
    }
    const extras = this.#extras(body);
    if ('status' in extras) return extras;

    const user = this.world.users.get(userId);
    if (!user || user.state === 'deactivated')
      return resourceProblem(notFoundProblem('id', userId), this.notFoundStyle());
    if (user.state === 'suspended') return resourceProblem(suspendedProblem('id', userId), '200');
    if (
      this.settings.refusedUserIds.has(userId) ||
      (user.protected && this.settings.protectedAccounts === 'refuse')
    ) {
      return notAuthorizedToSubscribe(userId);
    }
    const { identity } = req;
    if (this.settings.userContextUserIds.has(userId)) {
      if (identity.kind === 'app') return unsupportedAuthentication('user');
      if (identity.userId !== userId) return notAuthorizedToSubscribe(userId);
    }
    const mine = this.list(identity.appId);
    // Checked before the limit, so that asking again for one that exists says so even at the limit.
    if (mine.some((s) => s.eventType === eventType && s.userId === userId))
      return duplicate(this.settings.duplicateStyle, eventType as string, userId);
    if (mine.length >= this.settings.subscriptionLimit)
      return limitReached(this.settings.limitStyle, this.settings.subscriptionLimit);

    const sub = this.add(
      identity.appId,
      eventType as ActivityEventType,
      userId,
      extras.tag,
      extras.webhookId,
    );
    return {
      status: this.settings.createdStatus,
      body: { data: render(sub), meta: { total_subscriptions: mine.length + 1 } },
    };
  }

  /** Oldest first (X does not say which order it lists them in). */
  page(req: ApiRequest): Answer {
    const maxRaw = req.query.get('max_results') ?? '100';
    const max = Number(maxRaw);
    // X does not document the range here; the v2 lists' 1–1000 (default 100) is assumed.
    if (!/^\d+$/.test(maxRaw) || max < 1 || max > 1000) {
      return invalidRequest(
        'max_results',
        maxRaw,
        `The \`max_results\` query parameter value [${maxRaw}] is not between 1 and 1000`,
      );
    }
    const appId = req.identity.appId;
    let offset = 0;
    const tokenRaw = req.query.get('pagination_token');
    if (tokenRaw !== null) {
      const token = this.#tokens.get(tokenRaw);
      if (!token || token.appId !== appId) {
        return invalidRequest(
          'pagination_token',
          tokenRaw,
          `The \`pagination_token\` query parameter value [${tokenRaw}] is not valid`,
        );
      }
      offset = token.offset;
    }
    const all = this.list(appId);
    const slice = all.slice(offset, offset + max);
    const meta: Record<string, unknown> = { total_subscriptions: all.length };
    if (offset + max < all.length) {
      const token = World.randomToken(24)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0');
      this.#tokens.set(token, { appId, offset: offset + max });
      meta.next_token = token;
    }
    return { status: 200, body: slice.length ? { data: slice.map(render), meta } : { meta } };
  }

  update(req: ApiRequest, id: string): Answer {
    const sub = this.#find(req, id);
    if ('status' in sub) return sub;
    const body = req.json;
    if (!isObject(body) || !Object.keys(body).length)
      return invalidRequest('body', '', 'The request body must name at least one of [tag, webhook_id].');
    const unknown = unknownField(body, UPDATE_FIELDS);
    if (unknown) return unknown;
    const extras = this.#extras(body);
    if ('status' in extras) return extras;
    if ('tag' in body) sub.tag = extras.tag;
    if ('webhook_id' in body) sub.webhookId = extras.webhookId;
    sub.updatedAt = this.now();
    return { status: 200, body: { data: render(sub) } };
  }

  remove(req: ApiRequest, id: string): Answer {
    const sub = this.#find(req, id);
    if ('status' in sub) return sub;
    this.#byId.delete(sub.id);
    return {
      status: 200,
      body: { data: { deleted: true }, meta: { total_subscriptions: this.list(req.identity.appId).length } },
    };
  }

  #find(req: ApiRequest, id: string): EmuSubscription | Answer {
    if (!ID.test(id)) {
      return invalidRequest(
        'subscription_id',
        id,
        `The \`subscription_id\` path parameter value [${id}] does not match ^[0-9]{1,19}$`,
      );
    }
    const sub = this.#byId.get(id);
    // Another app's subscription is as unknown as one that never existed.
    if (!sub || sub.appId !== req.identity.appId) return subscriptionNotFound(id);
    return sub;
  }

  #extras(
    body: Record<string, unknown>,
  ): { tag: string | undefined; webhookId: string | undefined } | Answer {
    const { tag, webhook_id: webhookId } = body;
    if (tag !== undefined && (typeof tag !== 'string' || tag.length > TAG_MAX))
      return invalidRequest('tag', String(tag), `$.tag: must be a string of at most ${TAG_MAX} characters`);
    if (webhookId !== undefined && (typeof webhookId !== 'string' || !ID.test(webhookId)))
      return invalidRequest('webhook_id', String(webhookId), '$.webhook_id: does not match ^[0-9]{1,19}$');
    return { tag, webhookId };
  }
}

function render(sub: EmuSubscription): Record<string, unknown> {
  return {
    subscription_id: sub.id,
    event_type: sub.eventType,
    filter: { user_id: sub.userId },
    ...(sub.tag !== undefined ? { tag: sub.tag } : {}),
    ...(sub.webhookId !== undefined ? { webhook_id: sub.webhookId } : {}),
    created_at: new Date(sub.createdAt).toISOString(),
    updated_at: new Date(sub.updatedAt).toISOString(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownField(body: Record<string, unknown>, allowed: Set<string>, prefix = ''): Answer | undefined {
  const key = Object.keys(body).find((k) => !allowed.has(k));
  if (key === undefined) return undefined;
  return invalidRequest(
    `${prefix}${key}`,
    JSON.stringify(body[key]) ?? '',
    `$.${prefix}${key}: is not defined in the schema and the schema does not allow additional properties`,
  );
}

function subscriptionNotFound(id: string): Answer {
  const problem = {
    value: id,
    detail: `Could not find subscription with id: [${id}].`,
    title: 'Not Found Error',
    resource_type: 'subscription',
    parameter: 'subscription_id',
    resource_id: id,
    type: problemType('resource-not-found'),
  };
  return { status: 404, contentType: PROBLEM, body: { ...problem, status: 404, errors: [problem] } };
}

/** X names neither follow event among its public or private events: some accounts may be refused. */
function notAuthorizedToSubscribe(userId: string): Answer {
  return {
    status: 403,
    contentType: PROBLEM,
    body: {
      title: 'Authorization Error',
      detail: `Sorry, you are not authorized to subscribe to activity of the user with id: [${userId}].`,
      type: problemType('not-authorized-for-resource'),
      resource_type: 'user',
      resource_id: userId,
      parameter: 'filter.user_id',
      value: userId,
      status: 403,
    },
  };
}

function duplicate(style: '409' | '400', eventType: string, userId: string): Answer {
  const detail = `Duplicate subscription: [${eventType}] for the user with id [${userId}] already exists.`;
  if (style === '400') return invalidRequest('filter.user_id', userId, detail);
  return {
    status: 409,
    contentType: PROBLEM,
    body: { title: 'Conflict', detail, type: problemType('conflict', 'api.x.com'), status: 409 },
  };
}

function limitReached(style: ActivitySettings['limitStyle'], limit: number): Answer {
  const detail = `This app has reached its limit of ${limit} Activity API subscriptions.`;
  if (style === 'usage-capped') {
    return {
      status: 429,
      contentType: PROBLEM,
      body: { title: 'Usage Capped', detail, type: problemType('usage-capped'), status: 429 },
    };
  }
  return {
    status: 403,
    contentType: PROBLEM,
    body: {
      title: 'Client Forbidden',
      detail,
      reason: 'subscription-limit-reached',
      type: problemType('client-forbidden'),
      status: 403,
    },
  };
}
