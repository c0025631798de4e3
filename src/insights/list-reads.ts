/**
 * Full reads of one account's followers or following, one record a UTC day per list: its cursor,
 * how many pages and users are stored, and whether X said there was no more. Each page's users
 * are stored apart, as one chunk, before the record moves its cursor past it, so a read stopped
 * anywhere (a restart, a cancel, the budget) goes on from the page after the last one stored,
 * and a page read twice (a crash between the two writes) replaces its own chunk.
 */
import { type Clock, utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { FollowList } from '../x/index.js';
import { ttlOfDay } from './day-records.js';
import { openRows, type StoredRows, sealRows } from './sealed-rows.js';
import type { UserRow } from './user-row.js';

export interface ListRead {
  key: string;
  day: string;
  list: FollowList;
  accountId: string;
  /** Users stored so far, every page together. */
  users: number;
  pages: number;
  /** X's next_token after the last page stored; undefined before the first page and once done. */
  cursor: string | undefined;
  done: boolean;
  /** Some page was read with the account owner's own token: those pages are sealed, and go at /unlink. */
  byOwner?: true;
}

export class ListReads {
  readonly #reads;
  readonly #pages;

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** Seals the pages read with an owner's token (TOKEN_ENCRYPTION_KEY). */
    private readonly key: Buffer,
  ) {
    this.#reads = store.namespace<ListRead>('insights-reads');
    this.#pages = store.namespace<StoredRows>('insights-pages');
  }

  today(): string {
    return utcDay(this.clock.now());
  }

  keyOf(day: string, list: FollowList, accountId: string): string {
    return `${day}:${list}:${accountId}`;
  }

  /** Today's read of the list, or a new one that has read nothing (not stored until a page is). */
  async current(list: FollowList, accountId: string, day = this.today()): Promise<ListRead> {
    const key = this.keyOf(day, list, accountId);
    return (
      (await this.#reads.get(key)) ?? {
        key,
        day,
        list,
        accountId,
        users: 0,
        pages: 0,
        cursor: undefined,
        done: false,
      }
    );
  }

  /**
   * Stores page `read.pages` (sealed when `byOwner`: read with the account owner's own token) and
   * moves the read past it; returns the read as saved.
   */
  async addPage(
    read: ListRead,
    rows: UserRow[],
    nextToken: string | undefined,
    byOwner = false,
  ): Promise<ListRead> {
    const ttl = ttlOfDay(read.day, this.clock.now());
    const at = `${read.key}:${read.pages}`;
    await this.#pages.set(at, sealRows(this.key, rows, at, byOwner), ttl);
    const next: ListRead = {
      ...read,
      users: read.users + rows.length,
      pages: read.pages + 1,
      cursor: nextToken,
      done: nextToken === undefined,
      ...(byOwner || read.byOwner ? { byOwner: true as const } : {}),
    };
    await this.#reads.set(read.key, next, ttl);
    return next;
  }

  /** The stored pages of a read, one chunk at a time, in X's order (newest first). */
  async *chunks(read: ListRead): AsyncGenerator<UserRow[]> {
    for (let page = 0; page < read.pages; page++) {
      const at = `${read.key}:${page}`;
      const stored = await this.#pages.get(at);
      // Never a silent gap: a result missing a page's users would be wrong without saying so.
      if (!stored) throw new Error(`page ${page} of the read ${read.key} is no longer stored`);
      yield openRows(this.key, stored, at);
    }
  }

  /** Deletes the day's read of the list, if any page of it was read with its owner's token. */
  async forgetOwners(day: string, list: FollowList, accountId: string): Promise<boolean> {
    const read = await this.#reads.get(this.keyOf(day, list, accountId));
    if (!read?.byOwner) return false;
    // The record first: a crash between leaves chunks nothing points at, which expire with the day.
    await this.#reads.delete(read.key);
    for (let page = 0; page < read.pages; page++) await this.#pages.delete(`${read.key}:${page}`);
    return true;
  }
}
