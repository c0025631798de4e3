/**
 * One check of one tracked account. New followers: the newest followers are read with a small
 * page until the first one already known; the page grows only when none shows up. Lost
 * followers: when X's follower count is lower than expected, the top of the list is read again
 * to see which remembered followers left (X bills each user once a day, so re-reading followers
 * already read today is free); a small account is read whole instead, which also names older
 * followers who left, at a cost bounded by its size per day. Each lost id is
 * looked up, so a suspended or deleted account is reported as such, not as an unfollow.
 */
import type { Logger } from '../log.js';
import type { SpendTally, UserField, XClient, XUser } from '../x/index.js';
import { type AccountState, RECENT_LIMIT } from './account-state.js';
import type { FollowerEvent, LostReason } from './events.js';

/** What an alert shows of a follower. */
export const FOLLOWER_FIELDS: readonly UserField[] = [
  'description',
  'profile_image_url',
  'public_metrics',
  'verified',
  'protected',
];

/** The first read of a check: most checks find a known follower within it. */
const FIRST_PAGE = 5;
const BASELINE_PAGE = 5;

export interface CheckOptions {
  now: number;
  /** Whether lost followers matter to any subscriber. */
  wantLost: boolean;
  /** Accounts up to this many followers are read whole to name who left. */
  scanMaxFollowers: number;
  /** Whether today's budget leaves room for a scan of this many users. */
  canAfford: (users: number) => boolean;
  /** Counts what this check's requests cost. */
  tally: SpendTally;
  log: Logger;
}

/** `account` is the tracked account as X shows it now (its follower count), looked up by the caller. */
export async function checkAccount(
  x: XClient,
  state: AccountState,
  account: XUser,
  options: CheckOptions,
): Promise<FollowerEvent[]> {
  state.username = account.username;
  const count = account.public_metrics?.followers_count ?? 0;

  if (state.lastCheckAt === undefined) {
    // The first check only records where the list stands: no flood of old followers.
    const page = await x.followers(state.id, {
      maxResults: BASELINE_PAGE,
      userFields: FOLLOWER_FIELDS,
      tally: options.tally,
    });
    state.recent = page.users.map((u) => u.id);
    state.followersCount = count;
    if (options.wantLost && isSmall(count, options))
      state.allFollowers = [...(await readIds(x, state.id, Number.POSITIVE_INFINITY, options))];
    return [];
  }

  const previous = state.followersCount ?? count;
  const fresh = await readNewFollowers(x, state, Math.max(0, count - previous), options);
  const events: FollowerEvent[] = fresh.map((user) => ({ kind: 'new', user }));

  const losses = previous + fresh.length - count;
  let lostIds: string[] = [];
  if (losses > 0 && options.wantLost) {
    lostIds = await findLost(x, state, fresh.length, count, options);
    if (lostIds.length) events.push(...(await describeLost(x, lostIds, options)));
    state.unidentifiedLosses += Math.max(0, losses - lostIds.length);
  }

  const gone = new Set(lostIds);
  state.recent = [...fresh.map((u) => u.id), ...state.recent.filter((id) => !gone.has(id))].slice(
    0,
    RECENT_LIMIT,
  );
  state.followersCount = count;
  return events;
}

async function readNewFollowers(
  x: XClient,
  state: AccountState,
  growth: number,
  options: CheckOptions,
): Promise<XUser[]> {
  const known = new Set(state.recent);
  // Without an anchor (every remembered follower left), stop instead of announcing the whole list.
  const limit = growth + 100;
  const fresh: XUser[] = [];
  let size = FIRST_PAGE;
  let token: string | undefined;
  for (;;) {
    const page = await x.followers(state.id, {
      maxResults: size,
      userFields: FOLLOWER_FIELDS,
      tally: options.tally,
      ...(token ? { paginationToken: token } : {}),
    });
    for (const user of page.users) {
      if (known.has(user.id)) return fresh;
      fresh.push(user);
    }
    if (!page.nextToken) return fresh;
    if (fresh.length >= limit) {
      options.log.warn('no known follower found; starting again from the newest', { account: state.id });
      return fresh.slice(0, growth);
    }
    token = page.nextToken;
    size = Math.min(1000, size * 4);
  }
}

function isSmall(count: number, options: CheckOptions): boolean {
  return count <= options.scanMaxFollowers && options.canAfford(count);
}

async function findLost(
  x: XClient,
  state: AccountState,
  freshCount: number,
  count: number,
  options: CheckOptions,
): Promise<string[]> {
  if (isSmall(count, options)) {
    const all = await readIds(x, state.id, Number.POSITIVE_INFINITY, options);
    // Followers gained since the last whole read are in `recent`, not yet in `allFollowers`.
    const before = [...new Set([...(state.allFollowers ?? []), ...state.recent])];
    state.allFollowers = [...all];
    return before.filter((id) => !all.has(id));
  }
  // Everyone remembered sits within the top `freshCount + recent` of the list, unless they left.
  const top = await readIds(x, state.id, freshCount + state.recent.length, options);
  return state.recent.filter((id) => !top.has(id));
}

async function readIds(
  x: XClient,
  id: string,
  atMost: number,
  options: Pick<CheckOptions, 'tally'>,
): Promise<Set<string>> {
  const ids = new Set<string>();
  // Ask for no more than needed: every user returned is billed.
  const maxResults = Number.isFinite(atMost) ? Math.min(1000, Math.max(1, atMost)) : 1000;
  for await (const page of x.pages('followers', id, { maxResults, tally: options.tally })) {
    for (const user of page.users) ids.add(user.id);
    if (ids.size >= atMost) break;
  }
  return ids;
}

/** Looks the lost followers up, so one who is suspended or gone is said to be, not an unfollower. */
export async function describeLost(
  x: XClient,
  ids: string[],
  options: Pick<CheckOptions, 'tally'>,
): Promise<FollowerEvent[]> {
  const { users, missing } = await x.usersByIds(ids, { userFields: FOLLOWER_FIELDS, tally: options.tally });
  const events: FollowerEvent[] = users.map((user) => ({ kind: 'lost', user, reason: 'unfollowed' }));
  for (const gone of missing) {
    const reason: LostReason = gone.reason === 'suspended' ? 'suspended' : 'deactivated';
    events.push({ kind: 'lost', user: { id: gone.value, name: gone.value, username: gone.value }, reason });
  }
  return events;
}
