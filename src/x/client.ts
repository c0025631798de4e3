/**
 * The follows API: typed calls to X v2 for everything Flock shows or changes, and the Activity
 * API's follow events (activity.ts). Lists are asked for at the size the caller will show (X
 * bills per user returned), ids stay strings, and every call goes through the sender in
 * http.ts for budgets, rate limits, retries and errors.
 */
import { type Clock, systemClock } from '../clock.js';
import { type Logger, silentLogger } from '../log.js';
import { createActivityCalls } from './activity.js';
import { createBlocksMutesCalls } from './blocks-mutes.js';
import { CostMeter, type SpendTally } from './cost-meter.js';
import { XInvalidRequestError } from './errors.js';
import { bucketOf, type CallOptions, createHttp, DEFAULT_RETRY, type RetryPolicy } from './http.js';
import {
  assertId,
  type BillUsers,
  createReadPage,
  fieldsParam,
  type ListOptions,
  type UsersBody,
  walkPages,
} from './list-page.js';
import { estimateReadMicroUsd, type ReadKind } from './prices.js';
import { RateLimits } from './rate-limits.js';
import { normalizeUser, type RawUser } from './raw-user.js';
import { resourceError, type XProblem } from './translate-error.js';
import { createTryShared } from './try-shared.js';
import {
  authUserId,
  type FollowList,
  type FollowResult,
  type MissingUser,
  type OwnList,
  USERNAME_PATTERN,
  type UserAuth,
  type UserField,
  type UserPage,
  type XUser,
} from './types.js';

export type { ListOptions } from './list-page.js';

export interface XClientOptions {
  apiUrl: string;
  bearerToken: string;
  clock?: Clock;
  /**
   * What X's headers said about each bucket; pass one to keep it across restarts, or one with a
   * shared part (createSharedXState) to share it with other processes. Default: a fresh one.
   */
  rateLimits?: RateLimits;
  /**
   * Today's estimated spend and the daily budget; pass one to keep it across restarts, or one with
   * a shared part to share it with other processes. Default: no budget.
   */
  costMeter?: CostMeter;
  log?: Logger;
  /**
   * The X user id of the account that owns the developer app. X bills that account's own
   * followers and following, read with its own token, as owned reads ($0.001 a user, not $0.010).
   */
  appOwnerId?: string;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface LookupOptions extends CallOptions {
  userFields?: readonly UserField[];
}

export interface ManyUsers {
  users: XUser[];
  missing: MissingUser[];
}

interface UserBody {
  data?: RawUser;
  errors?: XProblem[];
}

export type XClient = ReturnType<typeof createXClient>;

export function createXClient(options: XClientOptions) {
  const clock = options.clock ?? systemClock;
  const rateLimits = options.rateLimits ?? new RateLimits(clock);
  const costMeter = options.costMeter ?? new CostMeter(clock);
  const log = options.log ?? silentLogger;
  const tryShared = createTryShared(log, clock);
  const { send, openStream } = createHttp({
    apiUrl: options.apiUrl,
    bearerToken: options.bearerToken,
    clock,
    rateLimits,
    costMeter,
    log,
    tryShared,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { ...DEFAULT_RETRY, ...options.retry },
  });

  /**
   * Shared with other processes, the users are billed in Redis before the read returns, so the
   * next budget check, in any process, counts them.
   */
  const billUsers: BillUsers = async (users, kind, tally) => {
    const ids = users.map((u) => u.id);
    if (!costMeter.isShared) {
      costMeter.recordReads(kind, ids, tally);
      return;
    }
    // Failing, the users were counted (and added to `tally`) as this process knows them.
    await tryShared('spend', () => costMeter.recordReadsShared(kind, ids, tally), noNewUsers);
  };
  const readPage = createReadPage(send, billUsers);

  /**
   * How X bills a read of `userId`'s list: the app owner's own followers or following, read
   * with the owner's token, are owned reads; blocks and mutes have their own price either way.
   */
  const readKind = (list: FollowList | OwnList, userId: string, auth?: UserAuth): ReadKind => {
    if (list === 'blocking') return 'block';
    if (list === 'muting') return 'mute';
    const owned = options.appOwnerId !== undefined && userId === options.appOwnerId;
    return owned && auth !== undefined && authUserId(auth) === userId ? 'owned' : 'user';
  };

  async function list(which: FollowList, userId: string, opts: ListOptions): Promise<UserPage> {
    const route = `/2/users/:id/${which}`;
    assertId(userId, `GET ${route}`);
    const kind = readKind(which, userId, opts.auth);
    return readPage({ route, path: `2/users/${userId}/${which}`, kind, opts });
  }

  const pages = (which: FollowList, userId: string, opts: ListOptions): AsyncGenerator<UserPage> =>
    walkPages(opts.paginationToken, (token) => list(which, userId, { ...opts, paginationToken: token }));

  async function one(route: string, path: string, opts: LookupOptions): Promise<XUser> {
    const body = await send<UserBody>({
      ...opts,
      method: 'get',
      route,
      path,
      searchParams: fieldsParam(opts.userFields),
      billing: 'user-read',
    });
    if (!body.data) throw resourceError(body.errors?.[0] ?? { title: 'Not Found Error' }, `GET ${route}`);
    const user = normalizeUser(body.data);
    await billUsers([user], 'user', opts.tally);
    return user;
  }

  async function many(
    route: string,
    param: 'ids' | 'usernames',
    values: string[],
    opts: LookupOptions,
  ): Promise<ManyUsers> {
    const result: ManyUsers = { users: [], missing: [] };
    // X takes at most 100 per request.
    for (let i = 0; i < values.length; i += 100) {
      const chunk = values.slice(i, i + 100);
      const body = await send<UsersBody>({
        ...opts,
        method: 'get',
        route,
        path: route.slice(1),
        searchParams: { [param]: chunk.join(','), ...fieldsParam(opts.userFields) },
        billing: 'user-read',
      });
      const users = (body.data ?? []).map(normalizeUser);
      await billUsers(users, 'user', opts.tally);
      result.users.push(...users);
      for (const problem of body.errors ?? []) {
        result.missing.push({
          value: problem.value ?? problem.resource_id ?? '',
          reason: missingReason(problem, route),
        });
      }
    }
    return result;
  }

  return {
    /**
     * The limit of `endpoint`'s bucket (e.g. `'GET /2/users/:id/followers'`) per 15-minute
     * window, the app's or, with `auth`, that user's, as X's headers last said; undefined until
     * X has answered on it.
     */
    bucketLimit: (endpoint: string, auth?: UserAuth): number | undefined =>
      rateLimits.get(bucketOf(endpoint, auth))?.limit,
    /**
     * Whether reading `users` more users of `kind` today stays within the daily budget (always,
     * without one).
     */
    canAfford: (users: number, kind: ReadKind = 'user'): boolean => costMeter.canAfford(users, kind),
    /**
     * Holds room in today's budget for a read of up to `most` users of `kind` (as many as fit, at
     * least `least`) while it is in flight; undefined when not even `least` fit. Call the release
     * once the read is answered or failed.
     */
    reserve: (least: number, most: number, kind: ReadKind = 'user') => costMeter.reserve(least, most, kind),
    readKind,
    /**
     * What reading `users` users of `kind` costs, in millionths of a dollar, when
     * `alreadyBilledToday` of them were billed in that kind today (`billedToday` counts them).
     */
    estimate: (kind: ReadKind, users: number, alreadyBilledToday = 0): number =>
      estimateReadMicroUsd(kind, users, alreadyBilledToday),
    /** How many of `ids` were billed today in a kind of read, as this process knows it. */
    billedToday: (kind: ReadKind, ids: Iterable<string>): number => costMeter.billedToday(kind, ids),
    /**
     * Records Activity API events the caller delivered, by event_uuid (X bills each once per UTC
     * day); returns how many were newly billable, and adds them to `tally`. Shared with other
     * processes, Redis hears of them in the background: one process holds the stream.
     */
    billEvents: (uuids: readonly string[], tally?: SpendTally): number => {
      const added = costMeter.recordEvents(uuids, tally);
      if (added > 0 && costMeter.isShared) void tryShared('spend', () => costMeter.share(), noAnswer);
      return added;
    },

    /** One page of the accounts following `userId`, newest follower first. */
    followers: (userId: string, opts: ListOptions) => list('followers', userId, opts),
    /** One page of the accounts `userId` follows, newest first. */
    following: (userId: string, opts: ListOptions) => list('following', userId, opts),
    /** Every page in turn from `opts.paginationToken` (or the first) until X says there is no more. */
    pages,

    async userByUsername(username: string, opts: LookupOptions = {}): Promise<XUser> {
      if (!USERNAME_PATTERN.test(username)) {
        throw new XInvalidRequestError('not a valid X username', 'GET /2/users/by/username/:username');
      }
      return one('/2/users/by/username/:username', `2/users/by/username/${username}`, opts);
    },

    async userById(id: string, opts: LookupOptions = {}): Promise<XUser> {
      assertId(id, 'GET /2/users/:id');
      return one('/2/users/:id', `2/users/${id}`, opts);
    },

    /** Any number of ids, sent 100 to a request; the missing ones are listed with the reason. */
    async usersByIds(ids: readonly string[], opts: LookupOptions = {}): Promise<ManyUsers> {
      for (const id of ids) assertId(id, 'GET /2/users');
      return many('/2/users', 'ids', [...new Set(ids)], opts);
    },

    async usersByUsernames(usernames: readonly string[], opts: LookupOptions = {}): Promise<ManyUsers> {
      for (const name of usernames) {
        if (!USERNAME_PATTERN.test(name))
          throw new XInvalidRequestError('not a valid X username', 'GET /2/users/by');
      }
      return many('/2/users/by', 'usernames', [...new Set(usernames)], opts);
    },

    /** The account a user token belongs to. */
    async me(auth: UserAuth, opts: LookupOptions = {}): Promise<XUser> {
      return one('/2/users/me', '2/users/me', { ...opts, auth });
    },

    /** Follows `targetId` as `sourceId`, whose token `auth` must be. Repeating it changes nothing. */
    async follow(
      auth: UserAuth,
      sourceId: string,
      targetId: string,
      opts: CallOptions = {},
    ): Promise<FollowResult> {
      assertId(sourceId, 'POST /2/users/:id/following');
      assertId(targetId, 'POST /2/users/:id/following');
      const body = await send<{ data?: { following?: boolean; pending_follow?: boolean } }>({
        ...opts,
        auth,
        method: 'post',
        route: '/2/users/:id/following',
        path: `2/users/${sourceId}/following`,
        json: { target_user_id: targetId },
        billing: 'write',
      });
      return { following: body.data?.following === true, pendingFollow: body.data?.pending_follow === true };
    },

    async unfollow(
      auth: UserAuth,
      sourceId: string,
      targetId: string,
      opts: CallOptions = {},
    ): Promise<{ following: boolean }> {
      const route = '/2/users/:source_user_id/following/:target_user_id';
      assertId(sourceId, `DELETE ${route}`);
      assertId(targetId, `DELETE ${route}`);
      const body = await send<{ data?: { following?: boolean } }>({
        ...opts,
        auth,
        method: 'delete',
        route,
        path: `2/users/${sourceId}/following/${targetId}`,
        billing: 'write',
      });
      return { following: body.data?.following === true };
    },

    ...createBlocksMutesCalls({ send, readPage }),
    ...createActivityCalls({ send, openStream, log }),
  };
}

/** Fallbacks of shared steps whose local part is already done (createTryShared). */
const noNewUsers = () => 0;
const noAnswer = () => undefined;

function missingReason(problem: XProblem, route: string): MissingUser['reason'] {
  const kind = resourceError(problem, `GET ${route}`).kind;
  return kind === 'not-found' || kind === 'suspended' || kind === 'protected' ? kind : 'unknown';
}
