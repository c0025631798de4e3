/**
 * Pages of a linked user's own blocks and mutes, kept for the rest of the UTC day (X bills each
 * account once a day, and the page is paid for). Whom someone blocks or mutes is theirs alone:
 * the pages are sealed like their tokens, readable only as that user's, and deleted with the link.
 *
 * One record per user and list, holding the day's pages, so that one delete forgets them. A user
 * reads at most 15 pages a quarter hour (X's limit), and the record stops growing at MAX_PAGES
 * (500 accounts, about 215 KB sealed, a few ms to open): a page past it is read from X again when
 * revisited, which X bills once a day all the same.
 */
import { nextUtcMidnight, utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { OwnList, UserPage } from '../x/index.js';
import { open, type Sealed, seal } from './encryption.js';

const MAX_PAGES = 50;

interface DayPages {
  day: string;
  /** The X account the pages are of: a relink to another account starts afresh. */
  xUserId: string;
  /** By X's pagination token, '' for the first page. */
  pages: Record<string, UserPage>;
}

/** Which page: of whose list, of which X account, at which pagination token ('' for the first). */
export interface PageAt {
  discordUserId: string;
  list: OwnList;
  xUserId: string;
  token: string;
}

export class OwnListPages {
  readonly #records;

  constructor(
    store: Store,
    private readonly key: Buffer,
  ) {
    this.#records = store.namespace<Sealed>('own-list-pages');
  }

  /** The page at `token` ('' for the first) as read on the UTC day of `now`, if it was. */
  async get(at: PageAt, now: number): Promise<UserPage | undefined> {
    return (await this.#today(at, now))?.pages[at.token];
  }

  async set(at: PageAt, page: UserPage, now: number): Promise<void> {
    const { discordUserId, list, xUserId, token } = at;
    const record = (await this.#today(at, now)) ?? {
      day: utcDay(now),
      xUserId,
      pages: {},
    };
    if (!(token in record.pages) && Object.keys(record.pages).length >= MAX_PAGES) return;
    record.pages[token] = page;
    const aad = aadOf(discordUserId, list);
    await this.#records.set(
      keyOf(discordUserId, list),
      seal(this.key, JSON.stringify(record), aad),
      nextUtcMidnight(now) - now,
    );
  }

  /** Deletes both lists' pages of a user (their link is going). */
  async forget(discordUserId: string): Promise<void> {
    await Promise.all(
      (['blocking', 'muting'] as const).map((list) => this.#records.delete(keyOf(discordUserId, list))),
    );
  }

  async #today({ discordUserId, list, xUserId }: PageAt, now: number): Promise<DayPages | undefined> {
    const sealed = await this.#records.get(keyOf(discordUserId, list));
    if (!sealed) return undefined;
    let record: DayPages;
    try {
      record = JSON.parse(open(this.key, sealed, aadOf(discordUserId, list))) as DayPages;
    } catch {
      // Tampered with, or sealed under another key: read again from X.
      return undefined;
    }
    const fresh = record.day === utcDay(now) && record.xUserId === xUserId;
    return fresh ? record : undefined;
  }
}

const keyOf = (discordUserId: string, list: OwnList) => `${discordUserId}:${list}`;
/** Bound to the user and the list: a record moved to another user, or the other list, does not open. */
const aadOf = (discordUserId: string, list: OwnList) => `own-list:${list}:${discordUserId}`;
