/**
 * Pages of followers/following as X returned them, kept in the store for the rest of the UTC
 * day (X bills each user once a day, and the page is already paid for): going back, paging
 * again, or another person opening the same list costs no X request.
 */
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { FollowList, UserField, UserPage, XClient } from '../x/index.js';
import { RecentMemo } from './recent-memo.js';

/** What a page shows of each account: name, @username, follower count, marks, and the avatar as its thumbnail. */
export const PAGE_FIELDS: readonly UserField[] = [
  'public_metrics',
  'verified',
  'protected',
  'profile_image_url',
];
export const PAGE_SIZE = 10;

/** Pages this process keeps at hand: a few hundred small records, a list paged back and forth costs no store read. */
const MEMO_SIZE = 500;

export class PageCache {
  readonly #pages;
  readonly #memo = new RecentMemo<UserPage>(MEMO_SIZE);

  constructor(
    private readonly x: XClient,
    store: Store,
    private readonly clock: Clock,
  ) {
    this.#pages = store.namespace<UserPage>('x-pages');
  }

  async page(list: FollowList, accountId: string, token: string): Promise<UserPage> {
    const now = this.clock.now();
    const key = `${utcDay(now)}:${list}:${accountId}:${PAGE_SIZE}:${token || 'first'}`;
    // A day's page is written once (the key holds the day): what this process saw of it is still it.
    const cached = this.#memo.get(key) ?? (await this.#pages.get(key));
    if (cached) {
      this.#memo.set(key, cached);
      return cached;
    }
    const page = await this.x[list](accountId, {
      maxResults: PAGE_SIZE,
      userFields: PAGE_FIELDS,
      ...(token ? { paginationToken: token } : {}),
    });
    const slim = slimPage(page);
    await this.#pages.set(key, slim, nextUtcMidnight(now) - now);
    this.#memo.set(key, slim);
    return slim;
  }
}

/** Only what a page shows: the store holds no more of X's data than needed. */
export function slimPage(page: UserPage): UserPage {
  return {
    users: page.users.map(
      ({ id, name, username, verified, protected: locked, public_metrics, profile_image_url }) => ({
        id,
        name,
        username,
        ...(profile_image_url ? { profile_image_url } : {}),
        ...(verified !== undefined ? { verified } : {}),
        ...(locked !== undefined ? { protected: locked } : {}),
        ...(public_metrics ? { public_metrics } : {}),
      }),
    ),
    nextToken: page.nextToken,
    previousToken: page.previousToken,
  };
}
