/**
 * A paged list's state, kept in the store (never only in memory) so its buttons work after a
 * restart and days later. The buttons carry only the session id and the page they lead to.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/open-store.js';
import { WriteBatches } from '../store/write-batches.js';
import type { FollowList, OwnList } from '../x/index.js';
import { RecentMemo } from './recent-memo.js';

/** Sessions this process keeps at hand, so a click reads no store; a few hundred small records. */
const MEMO_SIZE = 500;

export interface PagingSession {
  id: string;
  ownerId: string;
  guildId: string | null;
  /** A public followers/following list, or the owner's own blocks or mutes (private, read with their token). */
  list: FollowList | OwnList;
  account: { id: string; username: string; name: string; total: number | undefined };
  /** tokens[n] is X's pagination token for page n ('' for the first page), learned as pages are read. */
  tokens: string[];
  /** The last page's index, once it has been seen. */
  lastPage: number | undefined;
  createdAt: number;
}

export class PagingSessions {
  readonly #sessions;
  /** New lists opened at once are written together: each still answers only once its record is stored. */
  readonly #writes;
  /**
   * What this process last read or wrote of each session. A session only grows (tokens are
   * appended, the last page is set once, nothing else changes), so what it says is reachable
   * still is; a page past it may have been reached through another process, so the store is asked.
   */
  readonly #memo = new RecentMemo<PagingSession>(MEMO_SIZE);
  /** The session each owner last opened, by owner, place, list and account (see open()). */
  readonly #opened = new RecentMemo<string>(MEMO_SIZE);

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** How long after the command its buttons keep working. */
    private readonly ttlMs: number,
  ) {
    this.#sessions = store.namespace<PagingSession>('paging-sessions');
    this.#writes = new WriteBatches(this.#sessions);
  }

  /**
   * The session for `fields.ownerId` opening a list: the one they opened lately for the same list
   * of the same account in the same place, while it is young (its first hundredth of the expiry)
   * and tells the same first page; else a new one. Opening a list again then writes nothing, and
   * someone who runs a command over and over keeps one record, not one a run. The buttons of both
   * messages stop together, a hundredth of the expiry early at most.
   */
  async open(
    fields: Omit<PagingSession, 'id' | 'tokens' | 'lastPage'>,
    firstPage: { nextToken?: string | undefined },
  ): Promise<PagingSession> {
    const key = [fields.ownerId, fields.guildId ?? '', fields.list, fields.account.id].join('\n');
    const id = this.#opened.get(key);
    const earlier = id === undefined ? undefined : this.#memo.get(id);
    if (
      earlier &&
      this.clock.now() - earlier.createdAt < this.ttlMs / 100 &&
      sameAccount(earlier.account, fields.account) &&
      earlier.tokens[1] === firstPage.nextToken
    )
      return earlier;
    const session = await this.create(fields, firstPage);
    this.#opened.set(key, session.id);
    return session;
  }

  /** A new session, knowing from the first page the second's token (or that there is none). */
  async create(
    fields: Omit<PagingSession, 'id' | 'tokens' | 'lastPage'>,
    firstPage: { nextToken?: string | undefined },
  ): Promise<PagingSession> {
    // 12 URL-safe characters: short enough for custom_id, too many to guess.
    const session: PagingSession = {
      ...fields,
      id: randomBytes(9).toString('base64url'),
      tokens: firstPage.nextToken ? ['', firstPage.nextToken] : [''],
      lastPage: firstPage.nextToken ? undefined : 0,
    };
    await this.save(session);
    return session;
  }

  /**
   * The session, unless it never existed or has expired, knowing at least pages up to `reaching`
   * where any process has reached them (Infinity: all that any process knows).
   */
  async get(id: string, reaching = 0): Promise<PagingSession | undefined> {
    let session = this.#memo.get(id);
    if (!session || reaching >= session.tokens.length) {
      session = await this.#sessions.get(id);
      if (session) this.#memo.set(id, session);
    }
    return session && this.clock.now() < session.createdAt + this.ttlMs ? session : undefined;
  }

  async save(session: PagingSession): Promise<void> {
    try {
      // Expiry is judged by Flock's clock in get(); the store's own expiry only clears old records.
      await this.#writes.set(session.id, session, this.ttlMs + 24 * 60 * 60_000);
      this.#memo.set(session.id, session);
    } catch (error) {
      // The memo must never know more than the store: the next read asks the store again.
      this.#memo.delete(session.id);
      throw error;
    }
  }
}

function sameAccount(a: PagingSession['account'], b: PagingSession['account']): boolean {
  return a.id === b.id && a.username === b.username && a.name === b.name && a.total === b.total;
}
