/**
 * The v2 user endpoints Flock calls, with X's validation, auth rules, list visibility,
 * pagination and the 200-with-only-errors answers for missing, suspended and protected users.
 */

import type { Identity } from './auth.js';
import type { BillingMeter } from './billing.js';
import { PageTokens } from './page-tokens.js';
import {
  type Answer,
  clientNotEnrolled,
  forbidden,
  invalidRequest,
  notFoundProblem,
  protectedProblem,
  type ResourceProblem,
  resourceProblem,
  suspendedProblem,
  unsupportedAuthentication,
} from './problems.js';
import type { EmuUser, World } from './world.js';

const USER_FIELDS = new Set([
  'affiliation',
  'connection_status',
  'created_at',
  'description',
  'entities',
  'id',
  'location',
  'most_recent_tweet_id',
  'name',
  'pinned_tweet_id',
  'profile_banner_url',
  'profile_image_url',
  'protected',
  'public_metrics',
  'receives_your_dm',
  'subscription_type',
  'url',
  'username',
  'verified',
  'verified_type',
  'withheld',
]);
export const ID = /^[0-9]{1,19}$/;
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

export interface ApiSettings {
  /** How a single missing user is answered: X's usual 200 with `errors`, or the documented 404. */
  notFoundStyle: '200' | '404';
  /** The name public_metrics gives the post count: X's current `tweet_count` or the newer `post_count`. */
  postCountField: 'tweet_count' | 'post_count';
  /** Endpoints the app's plan lacks (403 client-not-enrolled). */
  notEnrolled: Set<string>;
  /** How long pagination tokens stay valid. */
  paginationTokenTtlMs: number;
}

/** X's 400 for a `user.fields` value it does not know, if the query has one. */
export function checkUserFields(query: URLSearchParams): Answer | undefined {
  const fields = query.get('user.fields');
  const bad = fields?.split(',').find((f) => !USER_FIELDS.has(f));
  if (bad === undefined) return undefined;
  return invalidRequest(
    'user.fields',
    bad,
    `The \`user.fields\` query parameter value [${bad}] is not one of [${[...USER_FIELDS].join(',')}]`,
  );
}

export interface ApiRequest {
  endpoint: string;
  params: Record<string, string>;
  query: URLSearchParams;
  json: unknown;
  identity: Identity;
}

const REQUIRED_SCOPES: Record<string, string[]> = {
  'GET /2/users/:id/followers': ['tweet.read', 'users.read', 'follows.read'],
  'GET /2/users/:id/following': ['tweet.read', 'users.read', 'follows.read'],
  'POST /2/users/:id/following': ['tweet.read', 'users.read', 'follows.write'],
  'DELETE /2/users/:source_user_id/following/:target_user_id': ['tweet.read', 'users.read', 'follows.write'],
};
const USER_ONLY = new Set([
  'POST /2/users/:id/following',
  'DELETE /2/users/:source_user_id/following/:target_user_id',
  'GET /2/users/me',
]);

export class UsersApi {
  readonly #pages: PageTokens;

  constructor(
    private readonly world: World,
    private readonly billing: BillingMeter,
    private readonly settings: ApiSettings,
    now: () => number,
  ) {
    this.#pages = new PageTokens(now, () => settings.paginationTokenTtlMs);
  }

  handle(req: ApiRequest): Answer {
    const { endpoint, identity } = req;
    if (this.settings.notEnrolled.has(endpoint)) return clientNotEnrolled(identity.appId);
    if (USER_ONLY.has(endpoint) && identity.kind === 'app') return unsupportedAuthentication();
    if (identity.kind === 'user') {
      const needed = REQUIRED_SCOPES[endpoint] ?? ['tweet.read', 'users.read'];
      if (needed.some((s) => !identity.scopes.has(s))) return forbidden();
    }
    const badFields = checkUserFields(req.query);
    if (badFields) return badFields;
    switch (endpoint) {
      case 'GET /2/users/:id/followers':
        return this.#list('followers', req);
      case 'GET /2/users/:id/following':
        return this.#list('following', req);
      case 'POST /2/users/:id/following':
        return this.#follow(req);
      case 'DELETE /2/users/:source_user_id/following/:target_user_id':
        return this.#unfollow(req);
      case 'GET /2/users/by/username/:username':
        return this.#one(req, 'username', req.params.username ?? '');
      case 'GET /2/users/:id':
        return this.#one(req, 'id', req.params.id ?? '');
      case 'GET /2/users/me':
        return this.#one(req, 'id', identity.kind === 'user' ? identity.userId : '');
      case 'GET /2/users':
        return this.#many(req, 'ids');
      case 'GET /2/users/by':
        return this.#many(req, 'usernames');
      default:
        return {
          status: 404,
          body: { title: 'Not Found', type: 'about:blank', status: 404, detail: 'Not Found' },
        };
    }
  }

  render(user: EmuUser, fields: string | null, viewer?: Identity): Record<string, unknown> {
    const out: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
    for (const field of fields?.split(',') ?? []) {
      if (field === 'connection_status' && viewer?.kind === 'user')
        out.connection_status = this.#connection(viewer.userId, user.id);
      else if (field === 'created_at')
        out.created_at = new Date(user.createdAt).toISOString().replace(/\.\d+Z$/, '.000Z');
      else if (field === 'description') out.description = user.description;
      else if (field === 'location' && user.location) out.location = user.location;
      else if (field === 'url') out.url = user.url ?? '';
      else if (field === 'profile_image_url') out.profile_image_url = user.profileImageUrl;
      else if (field === 'protected') out.protected = user.protected;
      else if (field === 'verified') out.verified = user.verified;
      else if (field === 'verified_type') out.verified_type = user.verifiedType;
      else if (field === 'public_metrics') {
        out.public_metrics = {
          followers_count: this.world.count('followers', user.id),
          following_count: this.world.count('following', user.id),
          [this.settings.postCountField]: user.tweetCount,
          listed_count: user.listedCount,
          like_count: 0,
          media_count: 0,
        };
      }
    }
    return out;
  }

  /** How `viewer` relates to `other`, as X's connection_status lists it. */
  #connection(viewer: string, other: string): string[] {
    const status: string[] = [];
    if (this.world.follows(viewer, other)) status.push('following');
    if (this.world.follows(other, viewer)) status.push('followed_by');
    if (this.world.pending.get(other)?.has(viewer)) status.push('follow_request_sent');
    if (this.world.pending.get(viewer)?.has(other)) status.push('follow_request_received');
    if (this.world.blocks.has(viewer, other)) status.push('blocking');
    if (this.world.mutes.has(viewer, other)) status.push('muting');
    return status;
  }

  /** Who may read this account's lists: anyone when public; the owner and approved followers when protected. */
  #canSee(identity: Identity, user: EmuUser): boolean {
    if (!user.protected) return true;
    return (
      identity.kind === 'user' &&
      (identity.userId === user.id || this.world.follows(identity.userId, user.id))
    );
  }

  #problemFor(
    user: EmuUser | undefined,
    parameter: 'id' | 'username',
    value: string,
  ): ResourceProblem | undefined {
    if (!user || user.state === 'deactivated') return notFoundProblem(parameter, value);
    if (user.state === 'suspended') return suspendedProblem(parameter, value);
    return undefined;
  }

  #list(which: 'followers' | 'following', req: ApiRequest): Answer {
    const id = req.params.id ?? '';
    if (!ID.test(id))
      return invalidRequest(
        'id',
        id,
        `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`,
      );
    const listKey = `${which}:${id}`;
    const paging = this.#pages.parse(req.query, listKey);
    if ('status' in paging) return paging;
    const user = this.world.users.get(id);
    const problem = this.#problemFor(user, 'id', id);
    if (problem) return resourceProblem(problem, '200');
    if (user && !this.#canSee(req.identity, user)) return resourceProblem(protectedProblem(id), '200');

    const { shown, meta } = this.#pages.page(this.world, listKey, this.world.list(which, id), paging);
    // Owned reads: the app owner's own list, read with the owner's token, is billed at a tenth.
    const { identity } = req;
    const owned = identity.kind === 'user' && identity.ownsApp === true && identity.userId === id;
    this.billing.read(
      shown.map((u) => u.id),
      owned ? 'owned' : 'user',
    );
    const fields = req.query.get('user.fields');
    return {
      status: 200,
      body: shown.length ? { data: shown.map((u) => this.render(u, fields, req.identity)), meta } : { meta },
    };
  }

  #one(req: ApiRequest, parameter: 'id' | 'username', value: string): Answer {
    const pattern = parameter === 'id' ? ID : USERNAME;
    if (!pattern.test(value)) {
      return invalidRequest(
        parameter,
        value,
        `The \`${parameter}\` query parameter value [${value}] does not match ${pattern.source}`,
      );
    }
    const user = parameter === 'id' ? this.world.users.get(value) : this.world.byUsername(value);
    const problem = this.#problemFor(user, parameter, value);
    if (problem || !user)
      return resourceProblem(problem ?? notFoundProblem(parameter, value), this.settings.notFoundStyle);
    this.billing.read([user.id]);
    return { status: 200, body: { data: this.render(user, req.query.get('user.fields'), req.identity) } };
  }

  #many(req: ApiRequest, parameter: 'ids' | 'usernames'): Answer {
    const raw = req.query.get(parameter) ?? '';
    const values = raw.split(',').filter(Boolean);
    const single = parameter === 'ids' ? 'id' : 'username';
    const pattern = parameter === 'ids' ? ID : USERNAME;
    if (values.length < 1 || values.length > 100) {
      return invalidRequest(
        parameter,
        raw,
        `The number of values in the \`${parameter}\` query parameter list [${values.length}] is not between 1 and 100`,
      );
    }
    const bad = values.find((v) => !pattern.test(v));
    if (bad !== undefined)
      return invalidRequest(
        parameter,
        bad,
        `The \`${parameter}\` query parameter value [${bad}] does not match ${pattern.source}`,
      );
    const data: Record<string, unknown>[] = [];
    const errors: ResourceProblem[] = [];
    for (const value of values) {
      const user = parameter === 'ids' ? this.world.users.get(value) : this.world.byUsername(value);
      const problem = this.#problemFor(user, single, value);
      if (problem || !user) errors.push(problem ?? notFoundProblem(single, value));
      else data.push(this.render(user, req.query.get('user.fields'), req.identity));
    }
    this.billing.read(data.map((u) => String(u.id)));
    const body: Record<string, unknown> = {};
    if (data.length) body.data = data;
    if (errors.length) body.errors = errors;
    return { status: 200, body };
  }

  #follow(req: ApiRequest): Answer {
    const source = req.params.id ?? '';
    const target = (req.json as { target_user_id?: unknown } | undefined)?.target_user_id;
    if (typeof target !== 'string' || !ID.test(target)) {
      return invalidRequest(
        'target_user_id',
        String(target),
        'The `target_user_id` field must be a numeric string id',
      );
    }
    if (req.identity.kind !== 'user' || req.identity.userId !== source) {
      return forbidden('You are not permitted to perform this action.');
    }
    if (source === target) return forbidden('You cannot follow yourself.');
    const user = this.world.users.get(target);
    const problem = this.#problemFor(user, 'id', target);
    if (problem || !user) return resourceProblem(problem ?? notFoundProblem('id', target), '200');
    this.billing.write();
    if (this.world.follows(source, target))
      return { status: 200, body: { data: { following: true, pending_follow: false } } };
    if (user.protected) {
      this.world.requestFollow(source, target);
      return { status: 200, body: { data: { following: false, pending_follow: true } } };
    }
    this.world.follow(source, target);
    return { status: 200, body: { data: { following: true, pending_follow: false } } };
  }

  #unfollow(req: ApiRequest): Answer {
    const source = req.params.source_user_id ?? '';
    const target = req.params.target_user_id ?? '';
    for (const [name, value] of [
      ['source_user_id', source],
      ['target_user_id', target],
    ] as const) {
      if (!ID.test(value))
        return invalidRequest(
          name,
          value,
          `The \`${name}\` path parameter value [${value}] does not match ^[0-9]{1,19}$`,
        );
    }
    if (req.identity.kind !== 'user' || req.identity.userId !== source) {
      return forbidden('You are not permitted to perform this action.');
    }
    this.billing.write();
    this.world.unfollow(source, target);
    return { status: 200, body: { data: { following: false } } };
  }
}
