/**
 * The polling source: checks, one at a time and each on its own, the tracked accounts that are
 * polled (X's stream cannot serve them, or ALERTS_SOURCE=poll) and the streamed ones whose
 * stream was down longer than X replays. One check per account however many channels watch it;
 * the events go to the recorder before the account's state moves on. Checks are spaced so that
 * alerts use at most half of X's followers bucket, and wait out rate limits, outages and the
 * daily budget, saying why in /alerts list.
 */
import type { Clock } from '../../clock.js';
import type { AlertsSource } from '../../config.js';
import type { Logger } from '../../log.js';
import {
  type SpendTally,
  XBudgetExceededError,
  type XClient,
  XError,
  XNotFoundError,
  XRateLimitedError,
  XSuspendedError,
  type XUser,
} from '../../x/index.js';
import {
  type AccountState,
  type AccountStates,
  addSpend,
  newAccountState,
  RECENT_LOST_LIMIT,
} from '../account-state.js';
import type { AlertRecorder } from '../alert-entries.js';
import { checkAccount } from '../check-account.js';
import type { KeyedEvent } from '../events.js';
import { addGrowth, type GrowthHistory } from '../growth-history.js';
import type { PauseReason, WaitReason } from '../reasons.js';
import { anyWants, type Subscription, type Subscriptions } from '../subscriptions.js';

export interface PollSourceOptions {
  x: XClient;
  clock: Clock;
  log: Logger;
  subscriptions: Subscriptions;
  states: AccountStates;
  recorder: AlertRecorder;
  history: GrowthHistory;
  intervalMs: number;
  scanMaxFollowers: number;
  /** With `stream`, an account the stream cannot serve is not polled (after its first check). */
  mode: AlertsSource;
}

const WINDOW_MS = 15 * 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;

export class PollSource {
  constructor(private readonly o: PollSourceOptions) {}

  /** Checks every polled account that is due. */
  async tick(watched: Map<string, Subscription[]>): Promise<void> {
    const now = this.o.clock.now();
    const due: { state: AccountState; subs: Subscription[] }[] = [];
    let polled = 0;
    for (const [id, subs] of watched) {
      const state =
        (await this.o.states.get(id)) ?? newAccountState(subs[0]?.account ?? { id, username: id }, now);
      if (!needsPolling(state, subs, this.o.mode)) continue;
      polled += 1;
      if (state.nextCheckAt <= now) due.push({ state, subs });
    }
    const profiles = await this.#profiles(due.map((d) => d.state.id));
    for (const { state, subs } of due) {
      try {
        await this.#check(state.id, subs, polled, profiles.get(state.id));
      } catch (error) {
        this.o.log.error('alert check failed', { account: state.id, error });
      }
    }
  }

  /**
   * The due accounts as X shows them now, 100 to a request: one lookup gives every follower
   * count a tick needs. An account X could not return maps to the error that explains why.
   */
  async #profiles(ids: string[]): Promise<Map<string, XUser | Error>> {
    const profiles = new Map<string, XUser | Error>();
    if (!ids.length) return profiles;
    try {
      const { users, missing } = await this.o.x.usersByIds(ids, { userFields: ['public_metrics'] });
      for (const user of users) profiles.set(user.id, user);
      for (const gone of missing) {
        const error =
          gone.reason === 'suspended'
            ? new XSuspendedError('the tracked account is suspended', 'GET /2/users')
            : new XNotFoundError('the tracked account no longer exists', 'GET /2/users');
        profiles.set(gone.value, error);
      }
    } catch (error) {
      for (const id of ids) profiles.set(id, error instanceof Error ? error : new Error(String(error)));
    }
    return profiles;
  }

  #check(
    id: string,
    subs: Subscription[],
    polled: number,
    profile: XUser | Error | undefined,
  ): Promise<void> {
    const { clock, states, x } = this.o;
    return states.update(id, async (saved) => {
      const now = clock.now();
      const state = saved ?? newAccountState(subs[0]?.account ?? { id, username: id }, now);
      const log = this.o.log.child({ account: id });
      const tally: SpendTally = { users: 0, events: 0 };
      // Work on a copy: a check that fails half-way must leave the saved state as it was.
      const draft = structuredClone(state);
      try {
        if (!profile) throw new XNotFoundError('the tracked account was not returned', 'GET /2/users');
        if (profile instanceof Error) throw profile;
        const since = state.lastCheckAt ?? 0;
        const found = await checkAccount(x, draft, profile, {
          now,
          wantLost: anyWants(subs, 'lost'),
          scanMaxFollowers: this.o.scanMaxFollowers,
          canAfford: (users) => x.canAfford(users),
          tally,
          log,
        });
        // Followers the stream already named as lost are not named again by a reconciling poll.
        const lostBefore = new Set(state.recentLost ?? []);
        const events: KeyedEvent[] = found
          .filter((e) => e.kind !== 'lost' || !lostBefore.has(e.user.id))
          // `since` keys the events: the same events found again after a crash (before the
          // state was saved) become the same alerts.
          .map((e) => ({ ...e, key: `${e.user.id}@${since}` }));
        await this.o.recorder.record(id, events);
        // The day's figures come from the check itself, not from what was announced: followers
        // found new, and losses from the count (some losses cannot be named, or no one asked).
        const gained = found.filter((e) => e.kind === 'new').length;
        const before = state.followersCount;
        const after = draft.followersCount ?? before;
        draft.growth = addGrowth(draft.growth, now, {
          followers: after,
          gained,
          lost: before === undefined || after === undefined ? 0 : before + gained - after,
        });
        await this.o.history.save(id, draft.growth);
        const lost = events.filter((e) => e.kind === 'lost').map((e) => e.user.id);
        draft.recentLost = [...lost, ...(draft.recentLost ?? [])].slice(0, RECENT_LOST_LIMIT);
        draft.lastCheckAt = now;
        draft.failures = 0;
        draft.waiting = undefined;
        draft.nextCheckAt = now + this.#spacing(polled);
        if (draft.source?.gapSince !== undefined) draft.source = { ...draft.source, gapSince: undefined };
        addSpend(draft, now, tally.users);
        if (events.length)
          log.info('follower changes', {
            new: events.filter((e) => e.kind === 'new').length,
            lost: lost.length,
          });
        return { state: draft, result: undefined };
      } catch (error) {
        addSpend(state, now, tally.users);
        await this.#failed(state, error, now);
        return { state, result: undefined };
      }
    });
  }

  /**
   * At least the configured interval, and slow enough to use half of X's followers bucket at
   * most; up to a tenth more at random, so accounts first checked together drift apart instead
   * of coming due in one burst.
   */
  #spacing(polled: number): number {
    const limit = this.o.x.bucketLimit('GET /2/users/:id/followers') ?? 300;
    const spacing = Math.max(this.o.intervalMs, Math.ceil((polled * WINDOW_MS) / Math.max(1, limit / 2)));
    return Math.round(spacing * (1 + Math.random() / 10));
  }

  async #failed(state: AccountState, error: unknown, now: number): Promise<void> {
    const log = this.o.log.child({ account: state.id });
    if (error instanceof XRateLimitedError || error instanceof XBudgetExceededError) {
      const reason: WaitReason = {
        code: error instanceof XRateLimitedError ? 'rate-limited' : 'budget-spent',
      };
      state.waiting = { reason, until: error.resetAt };
      state.nextCheckAt = error.resetAt;
      log.info('alert checks waiting', { reason: reason.code, until: new Date(error.resetAt).toISOString() });
      return;
    }
    if (
      error instanceof XError &&
      (error.kind === 'not-found' || error.kind === 'suspended' || error.kind === 'protected')
    ) {
      const reason: PauseReason = { code: 'account-gone', kind: error.kind, username: state.username };
      await this.o.subscriptions.pauseAccount(state.id, reason, now);
      log.info('alerts paused: the account cannot be read', { kind: error.kind });
      return;
    }
    state.failures += 1;
    const backoff = Math.min(MAX_BACKOFF_MS, this.o.intervalMs * 2 ** state.failures);
    // Jitter spreads retries so accounts that failed together do not return together.
    const wait = Math.round(backoff * (0.5 + Math.random() / 2));
    state.waiting = { reason: { code: 'x-down' }, until: now + wait };
    state.nextCheckAt = now + wait;
    log.warn('alert check failed; backing off', { failures: state.failures, waitMs: wait, error });
  }
}

/**
 * Whether the poller serves this account now: it is not on the stream (or has no state yet, and
 * so no baseline), or the stream missed more than X replays. Subscriptions that only want the
 * account's own follows need the stream: polling reads followers only.
 */
export function needsPolling(
  state: AccountState,
  subs: readonly Subscription[],
  mode: AlertsSource,
): boolean {
  if (!anyWants(subs, 'new') && !anyWants(subs, 'lost')) return false;
  if (state.lastCheckAt === undefined) return true;
  if (state.source?.kind !== 'stream') return mode !== 'stream';
  return state.source.gapSince !== undefined;
}
