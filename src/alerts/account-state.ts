/**
 * What Flock knows about one tracked X account: where its events come from (X's Activity stream
 * or polling, and why), the newest followers seen (to recognise where new ones end), the
 * follower count, an optional full list from a scan, and the poll schedule and health. One
 * record per account, however many channels follow it. Changes go through `update`, one at a
 * time per account, since the stream, the poller and the subscription keeper all write it.
 */
import { utcDay } from '../clock.js';
import type { Locks } from '../coordination/locks.js';
import type { Store } from '../store/open-store.js';
import type { KeyedEvent } from './events.js';
import type { DayGrowth } from './growth-history.js';
import type { SourceReason, StoredReason, WaitReason } from './reasons.js';

export interface AccountSource {
  kind: 'stream' | 'poll';
  /** Why it is polled (X refused, the limit, the plan, the setting), said in /alerts list. */
  reason: StoredReason<SourceReason> | undefined;
  /** Flock's Activity subscriptions for this account at X, by event type. */
  subscriptions: { follow?: string; unfollow?: string };
  /** The stream was down longer than X replays: a poll must reconcile what it missed since then. */
  gapSince?: number | undefined;
  since: number;
}

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
  waiting: { reason: StoredReason<WaitReason>; until: number } | undefined;
  /** Losses the count showed that no scan could name. */
  unidentifiedLosses: number;
  /** Users and events billed for this account today (for the guild's share of spend). */
  spend: { day: string; users: number };
  source?: AccountSource | undefined;
  /** Followers named as lost lately, so the stream and a poll never both announce one. */
  recentLost?: string[] | undefined;
  /** Stream events received and not yet made alerts. */
  inbox?: KeyedEvent[] | undefined;
  /** The batch being made alerts: named before it is recorded, so a crash repeats exactly it. */
  draining?: KeyedEvent[] | undefined;
  /**
   * The fence of the latest Activity stream holder that wrote here: a holder with a smaller one
   * lost its lease to another process and may no longer write.
   */
  streamFence?: number | undefined;
  /**
   * Today's follower count, gained and lost so far, changed in the same write as the check or
   * stream batch that moved them (growth-history.ts keeps a copy per day).
   */
  growth?: DayGrowth | undefined;
}

/** How many of the newest followers are remembered as the anchor. */
export const RECENT_LIMIT = 2000;
export const RECENT_LOST_LIMIT = 200;

export function newAccountState(account: { id: string; username: string }, now: number): AccountState {
  return {
    id: account.id,
    username: account.username,
    recent: [],
    followersCount: undefined,
    allFollowers: undefined,
    lastCheckAt: undefined,
    nextCheckAt: now,
    failures: 0,
    waiting: undefined,
    unidentifiedLosses: 0,
    spend: { day: utcDay(now), users: 0 },
  };
}

/** Adds what was billed for the account (users read, events delivered) to today's spend. */
export function addSpend(state: AccountState, now: number, units: number): void {
  const day = utcDay(now);
  if (state.spend.day !== day) state.spend = { day, users: 0 };
  state.spend.users += Math.max(0, units);
}

export class AccountStates {
  readonly #states;

  constructor(
    store: Store,
    private readonly locks: Locks,
  ) {
    this.#states = store.namespace<AccountState>('alert-accounts');
  }

  get(id: string): Promise<AccountState | undefined> {
    return this.#states.get(id);
  }

  /**
   * Applies `change` to the account's state (undefined when none yet) and saves what it returns
   * (nothing when it returns undefined), while no other change of that account runs.
   */
  update<T>(
    id: string,
    change: (state: AccountState | undefined) => Promise<{ state: AccountState | undefined; result: T }>,
  ): Promise<T> {
    return this.locks.run(`alert-account:${id}`, async () => {
      const { state, result } = await change(await this.#states.get(id));
      if (state) await this.#states.set(id, state);
      return result;
    });
  }

  async delete(id: string): Promise<void> {
    await this.locks.run(`alert-account:${id}`, () => this.#states.delete(id));
  }
}
