/**
 * What the poller knows about one tracked X account: the newest followers it has seen (to
 * recognise where new ones end), the follower count at the last check, an optional full list
 * from a scan, and its schedule and health. One record per account, however many channels
 * follow it.
 */
import type { Store } from '../store/open-store.js';

export interface AccountState {
  id: string;
  username: string;
  /** Follower ids seen at the top of the list, newest first: the anchor for the next poll. */
  recent: string[];
  /** X's follower count at the last check. */
  followersCount: number | undefined;
  /** Every follower id, from the last full read (small accounts only). */
  allFollowers: string[] | undefined;
  lastCheckAt: number | undefined;
  nextCheckAt: number;
  /** Consecutive failures, for backoff. */
  failures: number;
  /** Why checks are on hold (rate limit, budget, X down), shown by /alerts list. */
  waiting: { reason: string; until: number } | undefined;
  /** Losses the count showed that no scan could name. */
  unidentifiedLosses: number;
  /** Users billed for this account's checks today (for the guild's share of spend). */
  spend: { day: string; users: number };
}

/** How many of the newest followers are remembered as the anchor. */
export const RECENT_LIMIT = 2000;

export class AccountStates {
  readonly #states;

  constructor(store: Store) {
    this.#states = store.namespace<AccountState>('alert-accounts');
  }

  get(id: string): Promise<AccountState | undefined> {
    return this.#states.get(id);
  }

  async save(state: AccountState): Promise<void> {
    await this.#states.set(state.id, state);
  }

  async delete(id: string): Promise<void> {
    await this.#states.delete(id);
  }
}
