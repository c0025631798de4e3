/**
 * Paged lists: opening one creates a session in the store and renders its first page; a button
 * click turns to the page its custom_id names. Clicks on one list are handled one at a time, in
 * the order they came, so two fast clicks never leave the message showing an older page. A list
 * is public (followers, following: the app's token, cached for everyone) or the owner's own
 * (blocks, mutes: their token, kept for them alone, see own-pages.ts).
 */
import type { LinkedAccounts } from '../accounts/linked-accounts.js';
import type { Clock } from '../clock.js';
import type { Locks } from '../coordination/locks.js';
import type { Translator } from '../i18n/translate.js';
import type { Store } from '../store/open-store.js';
import type { FollowList, OwnList, XClient, XUser } from '../x/index.js';
import { OwnPages } from './own-pages.js';
import { PageCache } from './page-cache.js';
import { type RenderedPage, renderPage } from './render-page.js';
import { type PagingSession, PagingSessions } from './sessions.js';

export type TurnResult =
  | { kind: 'page'; rendered: RenderedPage }
  | { kind: 'expired' }
  | { kind: 'not-owner'; ownerId: string; list: FollowList | OwnList }
  /** The page asked for is not one this list's buttons lead to (a forged or garbled custom_id). */
  | { kind: 'no-page' };

export class Paging {
  readonly sessions: PagingSessions;
  readonly #pages: PageCache;
  /** Undefined where there are no linked accounts to read own lists with. */
  readonly #own: OwnPages | undefined;

  constructor(
    x: XClient,
    store: Store,
    private readonly clock: Clock,
    expiryMs: number,
    private readonly locks: Locks,
    linked?: LinkedAccounts,
  ) {
    this.sessions = new PagingSessions(store, clock, expiryMs);
    this.#pages = new PageCache(x, store, clock);
    this.#own = linked && new OwnPages(x, linked, clock);
  }

  /** Starts a list for `ownerId` and renders its first page in `t`'s language (the owner's). */
  async open(
    list: FollowList,
    account: XUser,
    ownerId: string,
    guildId: string | null,
    t: Translator,
  ): Promise<RenderedPage> {
    const page = await this.#pages.page(list, account.id, '');
    const total =
      list === 'followers'
        ? account.public_metrics?.followers_count
        : account.public_metrics?.following_count;
    // Written once, with what the first page told: nothing is left for #render to save.
    const session = await this.sessions.open(
      {
        ownerId,
        guildId,
        list,
        account: { id: account.id, username: account.username, name: account.name, total },
        createdAt: this.clock.now(),
      },
      page,
    );
    return this.#render(session, 0, page, t);
  }

  /**
   * Starts `ownerId`'s own blocks or mutes, read with their token, and renders its first page in
   * `t`'s language. Refuses, with nothing sent to X, someone with no link or one that lacks the
   * list's scope (RelinkNeededError).
   */
  async openOwn(
    list: OwnList,
    ownerId: string,
    guildId: string | null,
    t: Translator,
  ): Promise<RenderedPage> {
    const own = this.#ownPages();
    const link = await own.linkFor(ownerId, list);
    const page = await own.page(ownerId, list, link.xUserId, '');
    const session = await this.sessions.create(
      {
        ownerId,
        guildId,
        list,
        // X says nothing of how many accounts these lists hold.
        account: { id: link.xUserId, username: link.username, name: link.name, total: undefined },
        createdAt: this.clock.now(),
      },
      page,
    );
    return this.#render(session, 0, page, t);
  }

  #ownPages(): OwnPages {
    if (!this.#own) throw new Error('own lists need the linked accounts');
    return this.#own;
  }

  /**
   * Checks who may turn the pages, and that `pageIndex` is a page the list's buttons can lead to,
   * before anything slow happens. `pageIndex` undefined is a page number that did not parse.
   */
  async check(
    sessionId: string,
    clickerId: string,
    pageIndex: number | undefined,
  ): Promise<TurnResult | undefined> {
    const session = await this.sessions.get(sessionId, pageIndex);
    if (!session) return { kind: 'expired' };
    if (session.ownerId !== clickerId)
      return { kind: 'not-owner', ownerId: session.ownerId, list: session.list };
    if (!reachable(session, pageIndex)) return { kind: 'no-page' };
    return undefined;
  }

  /**
   * How many pages of the list can be opened directly: X pages by cursor, so a page is
   * reachable once the one before it was read. Undefined once the list has expired.
   */
  async reachablePages(sessionId: string): Promise<number | undefined> {
    return (await this.sessions.get(sessionId, Number.POSITIVE_INFINITY))?.tokens.length;
  }

  /**
   * Renders page `pageIndex` in `t`'s language (the clicker's, who is the owner), fetching it from
   * X only when it is not cached.
   */
  turn(sessionId: string, pageIndex: number, t: Translator): Promise<TurnResult> {
    // Clicks on one list take turns, so two fast clicks never fetch the same page twice.
    return this.locks.run(`paging:${sessionId}`, () => this.#turn(sessionId, pageIndex, t));
  }

  async #turn(sessionId: string, pageIndex: number, t: Translator): Promise<TurnResult> {
    const session = await this.sessions.get(sessionId, pageIndex);
    if (!session) return { kind: 'expired' };
    if (!reachable(session, pageIndex)) return { kind: 'no-page' };
    const token = session.tokens[pageIndex] ?? '';
    const { list, account, ownerId } = session;
    const page =
      list === 'blocking' || list === 'muting'
        ? await this.#ownPages().page(ownerId, list, account.id, token)
        : await this.#pages.page(list, account.id, token);
    return { kind: 'page', rendered: await this.#render(session, pageIndex, page, t) };
  }

  async #render(
    session: PagingSession,
    index: number,
    page: Awaited<ReturnType<PageCache['page']>>,
    t: Translator,
  ): Promise<RenderedPage> {
    const learns = (s: PagingSession) =>
      page.nextToken ? s.tokens[index + 1] === undefined : s.lastPage !== index;
    if (learns(session)) {
      // Under the list's lock, from the store: what this process remembers may lack pages another
      // process has since reached, and saving it would forget them.
      const latest = (await this.sessions.get(session.id, Number.POSITIVE_INFINITY)) ?? session;
      if (learns(latest)) {
        if (page.nextToken) latest.tokens[index + 1] = page.nextToken;
        else latest.lastPage = index;
        await this.sessions.save(latest);
      }
      return renderPage(latest, index, page, t);
    }
    return renderPage(session, index, page, t);
  }
}

/** A page is reachable once the page before it told us its token; the first always is. */
function reachable(session: PagingSession, pageIndex: number | undefined): pageIndex is number {
  return (
    pageIndex !== undefined &&
    Number.isSafeInteger(pageIndex) &&
    pageIndex >= 0 &&
    pageIndex < session.tokens.length
  );
}
