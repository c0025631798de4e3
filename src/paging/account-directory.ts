/**
 * Looks X accounts up for display, through a short-lived cache in the store, and remembers which
 * accounts each scope (a guild, or a person outside guilds that added Flock) looked at recently
 * (for autocomplete). One lookup serves /lookup, and the
 * header and total of /followers and /following, so it asks for the fields all three show.
 */
import type { Clock } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { UserField, UserRef, XClient, XUser } from '../x/index.js';
import { RecentMemo } from './recent-memo.js';

export const ACCOUNT_FIELDS: readonly UserField[] = [
  'created_at',
  'description',
  'location',
  'profile_image_url',
  'protected',
  'public_metrics',
  'verified',
  'verified_type',
];

/** Profiles change slowly; ten minutes keeps repeated commands off X without going stale. */
const ACCOUNT_TTL_MS = 10 * 60_000;
const RECENT_LIMIT = 25;
const MEMO_SIZE = 500;

export interface RecentAccount {
  id: string;
  username: string;
  name: string;
}

export class AccountDirectory {
  readonly #cache;
  /** Snapshots this process read or wrote: each carries its time, so the ten minutes hold the same. */
  readonly #memo = new RecentMemo<{ user: XUser; at: number }>(MEMO_SIZE);
  readonly #recent;
  /**
   * The account this process last put (or saw) first in each scope's recent list: the same list
   * opened again needs no store read. Another process may since have put another account first;
   * then this one stays second until it is looked up elsewhere, which autocomplete can bear.
   */
  readonly #firstRecent = new RecentMemo<string>(MEMO_SIZE);

  constructor(
    private readonly x: XClient,
    store: Store,
    private readonly clock: Clock,
  ) {
    this.#cache = store.namespace<{ user: XUser; at: number }>('x-accounts');
    this.#recent = store.namespace<RecentAccount[]>('recent-accounts');
  }

  async resolve(ref: UserRef): Promise<XUser> {
    const key = ref.kind === 'id' ? `id:${ref.id}` : `name:${ref.username.toLowerCase()}`;
    const fresh = (entry: { at: number }) => this.clock.now() - entry.at < ACCOUNT_TTL_MS;
    const memo = this.#memo.get(key);
    if (memo && fresh(memo)) return memo.user;
    const cached = await this.#cache.get(key);
    if (cached && fresh(cached)) {
      this.#memo.set(key, cached);
      return cached.user;
    }
    const user =
      ref.kind === 'id'
        ? await this.x.userById(ref.id, { userFields: ACCOUNT_FIELDS })
        : await this.x.userByUsername(ref.username, { userFields: ACCOUNT_FIELDS });
    const entry = { user, at: this.clock.now() };
    await Promise.all([
      this.#cache.set(`id:${user.id}`, entry, ACCOUNT_TTL_MS),
      this.#cache.set(`name:${user.username.toLowerCase()}`, entry, ACCOUNT_TTL_MS),
    ]);
    this.#memo.set(`id:${user.id}`, entry);
    this.#memo.set(`name:${user.username.toLowerCase()}`, entry);
    return user;
  }

  /** Puts the account first in the scope's recent list. */
  async remember(scope: string, user: XUser): Promise<void> {
    const first = `${user.id}\u0000${user.username}\u0000${user.name}`;
    if (this.#firstRecent.get(scope) === first) return;
    const list = (await this.#recent.get(scope)) ?? [];
    const head = list[0];
    if (head?.id !== user.id || head.username !== user.username || head.name !== user.name) {
      const next = [
        { id: user.id, username: user.username, name: user.name },
        ...list.filter((a) => a.id !== user.id),
      ];
      await this.#recent.set(scope, next.slice(0, RECENT_LIMIT));
    }
    this.#firstRecent.set(scope, first);
  }

  /** Recent accounts of the scope whose name or username starts with (or contains) what was typed. */
  async suggest(scope: string, typed: string): Promise<RecentAccount[]> {
    const list = (await this.#recent.get(scope)) ?? [];
    const needle = typed.trim().replace(/^@/, '').toLowerCase();
    if (!needle) return list;
    const starts = list.filter(
      (a) => a.username.toLowerCase().startsWith(needle) || a.name.toLowerCase().startsWith(needle),
    );
    const contains = list.filter(
      (a) => !starts.includes(a) && `${a.username} ${a.name}`.toLowerCase().includes(needle),
    );
    return [...starts, ...contains];
  }
}
