/**
 * A paged list's state, kept in the store (never only in memory) so its buttons work after a
 * restart and days later. The buttons carry only the session id and the page they lead to.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { FollowList } from '../x/index.js';

export interface PagingSession {
  id: string;
  ownerId: string;
  guildId: string | null;
  list: FollowList;
  account: { id: string; username: string; name: string; total: number | undefined };
  /** tokens[n] is X's pagination token for page n ('' for the first page), learned as pages are read. */
  tokens: string[];
  /** The last page's index, once it has been seen. */
  lastPage: number | undefined;
  createdAt: number;
}

export class PagingSessions {
  readonly #sessions;

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** How long after the command its buttons keep working. */
    private readonly ttlMs: number,
  ) {
    this.#sessions = store.namespace<PagingSession>('paging-sessions');
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

  /** The session, unless it never existed or has expired. */
  async get(id: string): Promise<PagingSession | undefined> {
    const session = await this.#sessions.get(id);
    return session && this.clock.now() < session.createdAt + this.ttlMs ? session : undefined;
  }

  async save(session: PagingSession): Promise<void> {
    // Expiry is judged by Flock's clock in get(); the store's own expiry only clears old records.
    await this.#sessions.set(session.id, session, this.ttlMs + 24 * 60 * 60_000);
  }
}
