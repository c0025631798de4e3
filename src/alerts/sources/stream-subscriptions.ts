/**
 * Keeps Flock's Activity subscriptions at X in line with the accounts it watches: two per
 * account (follow.follow and follow.unfollow), however many channels watch it, tagged as
 * Flock's, deleted when the last channel stops. An account is subscribed as soon as it is
 * watched, before its first poll records where its list stands: whatever happens between the
 * two arrives on the stream, so nothing falls between them. At start it lists them all (every page) and
 * reconciles: adopts what is there, creates what is missing, deletes orphans. It never passes
 * X's limit. An account X refuses (the plan, the limit, an account it will not serve) stays on
 * polling, with the reason; one whose events X serves only with its own token uses the token of
 * the Discord user who linked it.
 */
import type { Clock } from '../../clock.js';
import type { AlertsSource } from '../../config.js';
import type { Logger } from '../../log.js';
import {
  type ActivityEventType,
  type CallOptions,
  type UserAuth,
  type XClient,
  XError,
  XLimitReachedError,
  XNeedsUserContextError,
  XNotEnrolledError,
} from '../../x/index.js';
import { type AccountSource, type AccountStates, newAccountState } from '../account-state.js';
import { type SourceReason, sameReason } from '../reasons.js';
import type { Subscription } from '../subscriptions.js';

export interface StreamSubscriptionsOptions {
  x: XClient;
  states: AccountStates;
  clock: Clock;
  log: Logger;
  mode: AlertsSource;
  /** Marks Flock's own subscriptions (several bots may share one X app). */
  tag: string;
  /** X's limit for the app (1,500 on self-serve plans). */
  limit?: number;
  /** Runs `call` with the token of the Discord user whose link is this X account, if any. */
  withLinkedToken: <T>(xUserId: string, call: (auth: UserAuth) => Promise<T>) => Promise<T | undefined>;
}

const TYPES: { type: ActivityEventType; slot: 'follow' | 'unfollow' }[] = [
  { type: 'follow.follow', slot: 'follow' },
  { type: 'follow.unfollow', slot: 'unfollow' },
];
/** A refused account is asked again after this long (it may have become public). */
const RETRY_REFUSED_MS = 24 * 60 * 60_000;

export class StreamSubscriptions {
  /** Subscriptions the app has at X (all tags), known from the last listing and counted since. */
  #total = 0;
  /** Why the stream cannot serve anyone (the plan, the setting), once known. */
  #unavailable: SourceReason | undefined;

  constructor(private readonly o: StreamSubscriptionsOptions) {
    if (o.mode === 'poll') this.#unavailable = { code: 'poll-setting' };
  }

  get unavailable(): SourceReason | undefined {
    return this.#unavailable;
  }

  /** Every account goes (or stays) on polling, for this reason. */
  async giveUp(reason: SourceReason): Promise<void> {
    this.#unavailable = reason;
  }

  /**
   * At start (and every few hours): X's list is the truth. Adopts Flock's subscriptions, deletes
   * orphans (all of Flock's with ALERTS_SOURCE=poll), then ensures.
   */
  async reconcile(watched: Map<string, Subscription[]>): Promise<void> {
    if (this.#unavailable && this.o.mode !== 'poll') return this.ensure(watched);
    const byAccount = new Map<string, Partial<Record<'follow' | 'unfollow', string>>>();
    const orphans: string[] = [];
    let total = 0;
    try {
      // Listed whole first: deleting while paging could skip entries.
      for await (const sub of this.o.x.activitySubscriptions()) {
        total += 1;
        if (sub.tag !== this.o.tag) continue;
        const slot = sub.eventType === 'follow.follow' ? 'follow' : 'unfollow';
        const ids = byAccount.get(sub.userId) ?? {};
        // An orphan (no channel watches it any more, or polling was chosen), or a second of a kind.
        if (this.o.mode === 'poll' || !watched.has(sub.userId) || ids[slot]) orphans.push(sub.id);
        else byAccount.set(sub.userId, { ...ids, [slot]: sub.id });
      }
      for (const id of orphans) {
        await this.o.x.deleteActivitySubscription(id);
        total -= 1;
      }
    } catch (error) {
      if (error instanceof XNotEnrolledError) return this.giveUp({ code: 'no-activity-api' });
      this.o.log.warn('could not list Activity subscriptions; trying again later', { error });
      return;
    }
    if (this.o.mode === 'poll') return this.ensure(watched);
    this.#total = total;
    for (const id of watched.keys()) {
      const found = byAccount.get(id) ?? {};
      await this.o.states.update(id, async (state) => {
        if (!state) return { state: undefined, result: undefined };
        const had = state.source?.subscriptions ?? {};
        if (had.follow === found.follow && had.unfollow === found.unfollow)
          return { state: undefined, result: undefined };
        const complete = found.follow !== undefined && found.unfollow !== undefined;
        const source: AccountSource = complete
          ? {
              kind: 'stream',
              reason: undefined,
              subscriptions: found,
              since: state.source?.since ?? this.o.clock.now(),
            }
          : { kind: 'poll', reason: undefined, subscriptions: found, since: this.o.clock.now() };
        return { state: { ...state, source }, result: undefined };
      });
    }
    await this.ensure(watched);
  }

  /** Subscribes the watched accounts that should be streamed and are not yet. */
  async ensure(watched: Map<string, Subscription[]>): Promise<void> {
    for (const [id, subs] of watched) {
      try {
        await this.#ensureOne(id, subs);
      } catch (error) {
        this.o.log.warn('could not subscribe an account to the Activity stream', { account: id, error });
      }
    }
  }

  /** Deletes an account's subscriptions at X (its last channel stopped watching it). */
  async drop(source: AccountSource | undefined): Promise<void> {
    for (const id of Object.values(source?.subscriptions ?? {})) {
      if (!id) continue;
      try {
        await this.o.x.deleteActivitySubscription(id);
        this.#total -= 1;
      } catch (error) {
        // The next start's reconciliation deletes what is left.
        this.o.log.warn('could not delete an Activity subscription', { error });
      }
    }
  }

  async #ensureOne(id: string, subs: Subscription[]): Promise<void> {
    const now = this.o.clock.now();
    await this.o.states.update(id, async (saved) => {
      const account = subs[0]?.account;
      if (!saved && !account) return { state: undefined, result: undefined };
      const state = saved ?? newAccountState(account ?? { id, username: id }, now);
      const current = state.source;
      const poll = (reason: SourceReason): AccountSource => ({
        kind: 'poll',
        reason,
        subscriptions: current?.subscriptions ?? {},
        since: current?.kind === 'poll' && sameReason(current.reason, reason) ? current.since : now,
      });
      if (this.#unavailable) {
        if (current?.kind === 'poll' && sameReason(current.reason, this.#unavailable))
          return { state: undefined, result: undefined };
        return { state: { ...state, source: poll(this.#unavailable) }, result: undefined };
      }
      if (current?.kind === 'stream') return { state: undefined, result: undefined };
      if (current?.kind === 'poll' && current.reason && now - current.since < RETRY_REFUSED_MS)
        return { state: undefined, result: undefined };
      const have = { ...(current?.subscriptions ?? {}) };
      const missing = TYPES.filter(({ slot }) => !have[slot]);
      if (this.#total + missing.length > (this.o.limit ?? 1500))
        return {
          state: {
            ...state,
            source: poll({ code: 'own-limit', limit: this.o.limit ?? 1500 }),
          },
          result: undefined,
        };
      try {
        for (const { type, slot } of missing) {
          have[slot] = await this.#create(id, type);
          this.#total += 1;
        }
      } catch (error) {
        const reason = this.#refusal(error);
        if (!reason) throw error;
        return { state: { ...state, source: { ...poll(reason), subscriptions: have } }, result: undefined };
      }
      this.o.log.info('account streamed from X’s Activity API', { account: id });
      return {
        state: { ...state, source: { kind: 'stream', reason: undefined, subscriptions: have, since: now } },
        result: undefined,
      };
    });
  }

  async #create(userId: string, eventType: ActivityEventType): Promise<string> {
    const input = { eventType, userId, tag: this.o.tag };
    try {
      return (await this.o.x.createActivitySubscription(input)).id;
    } catch (error) {
      if (!(error instanceof XNeedsUserContextError)) throw error;
      // X serves this account's events only with its own token: a linked user's, if there is one.
      const created = await this.o.withLinkedToken(userId, (auth) =>
        this.o.x.createActivitySubscription(input, { auth } satisfies CallOptions),
      );
      if (!created) throw error;
      return created.id;
    }
  }

  /** Why X's answer keeps this account on polling, or undefined when it is worth trying again soon. */
  #refusal(error: unknown): SourceReason | undefined {
    if (error instanceof XNotEnrolledError) {
      void this.giveUp({ code: 'no-activity-api' });
      return { code: 'no-activity-api' };
    }
    if (error instanceof XLimitReachedError) return { code: 'x-limit' };
    if (error instanceof XNeedsUserContextError) return { code: 'needs-sign-in' };
    if (
      error instanceof XError &&
      ['refused', 'protected', 'forbidden', 'not-found', 'suspended'].includes(error.kind)
    )
      return { code: 'refused' };
    return undefined;
  }
}
