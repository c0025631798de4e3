/**
 * The alert poller: a start/stop/tick object. A tick checks every tracked account that is due,
 * once however many channels follow it, each in isolation (one failing account does not stop
 * the others); stores the alerts in the outbox before the account's state moves on; then
 * delivers what is pending, a few messages per channel at a time. Checks are spaced so that
 * alerts use at most half of X's followers bucket, and wait out rate limits, outages and the
 * daily budget, saying why in /alerts list.
 */
import { DiscordAPIError } from 'discord.js';
import { type Clock, utcDay } from '../clock.js';
import { xHandle } from '../discord/x-text.js';
import type { Logger } from '../log.js';
import {
  type CostMeter,
  XBudgetExceededError,
  type XClient,
  XError,
  XNotFoundError,
  XRateLimitedError,
  XSuspendedError,
  type XUser,
} from '../x/index.js';
import type { AccountState, AccountStates } from './account-state.js';
import { checkAccount, type FollowerEvent } from './check-account.js';
import { entryId, type Outbox, type OutboxEntry } from './outbox.js';
import { renderAlerts } from './render-alerts.js';
import type { Subscription, Subscriptions } from './subscriptions.js';

export interface PollerOptions {
  x: XClient;
  costMeter: CostMeter;
  clock: Clock;
  log: Logger;
  subscriptions: Subscriptions;
  states: AccountStates;
  outbox: Outbox;
  /** Posts a message to a channel; throws Discord's error. */
  send: (channelId: string, body: Record<string, unknown>) => Promise<void>;
  /** Tells a guild (its system channel, when possible) that alerts stopped somewhere. */
  notifyGuild: (guildId: string, text: string) => Promise<void>;
  intervalMs: number;
  scanMaxFollowers: number;
}

const WINDOW_MS = 15 * 60_000;
/** Messages sent to one channel per tick: Discord allows about 5 per 5 s per channel. */
const PER_CHANNEL_PER_TICK = 3;
const MAX_BACKOFF_MS = 60 * 60_000;
/** Discord's answers that mean the channel is gone or closed to Flock. */
const CHANNEL_CLOSED = new Set([10003, 50001, 50013]);

export class AlertPoller {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly o: PollerOptions) {}

  start(everyMs = 5_000): void {
    this.#timer ??= setInterval(() => void this.tick(), everyMs);
    this.#timer.unref();
  }

  /** Stops the timer; a tick in flight is left to finish or fail on its own. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Runs one tick; a call while one runs waits for that one instead of starting another. */
  tick(): Promise<void> {
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #tick(): Promise<void> {
    const active = (await this.o.subscriptions.all()).filter((s) => !s.paused);
    const byAccount = new Map<string, Subscription[]>();
    for (const s of active) byAccount.set(s.account.id, [...(byAccount.get(s.account.id) ?? []), s]);
    const now = this.o.clock.now();
    const due: { state: AccountState; subs: Subscription[] }[] = [];
    for (const [id, subs] of byAccount) {
      const state = (await this.o.states.get(id)) ?? newState(subs[0] as Subscription, now);
      if (state.nextCheckAt <= now) due.push({ state, subs });
    }
    const profiles = await this.#profiles(due.map((d) => d.state.id));
    for (const { state, subs } of due) {
      try {
        await this.#check(state, subs, byAccount.size, profiles.get(state.id));
      } catch (error) {
        this.o.log.error('alert check failed', { account: state.id, error });
      }
    }
    for (const channelId of new Set(active.map((s) => s.channelId))) {
      try {
        await this.#deliver(channelId, active);
      } catch (error) {
        this.o.log.error('alert delivery failed', { channelId, error });
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

  async #check(
    state: AccountState,
    subs: Subscription[],
    tracked: number,
    profile: XUser | Error | undefined,
  ): Promise<void> {
    const { clock, states, costMeter } = this.o;
    const now = clock.now();
    const log = this.o.log.child({ account: state.id });
    const billedBefore = costMeter.today().billableUsers;
    // Work on a copy: a check that fails half-way must leave the saved state as it was.
    const draft = structuredClone(state);
    try {
      if (!profile) throw new XNotFoundError('the tracked account was not returned', 'GET /2/users');
      if (profile instanceof Error) throw profile;
      const events = await checkAccount(this.o.x, draft, profile, {
        now,
        wantLost: subs.some((s) => s.events !== 'new'),
        scanMaxFollowers: this.o.scanMaxFollowers,
        canAfford: (users) => costMeter.canAfford(users),
        log,
      });
      await this.o.outbox.add(subs.flatMap((s) => this.#entries(s, events, now, state.lastCheckAt ?? 0)));
      draft.lastCheckAt = now;
      draft.failures = 0;
      draft.waiting = undefined;
      draft.nextCheckAt = now + this.#spacing(tracked);
      addSpend(draft, now, costMeter.today().billableUsers - billedBefore);
      await states.save(draft);
      if (events.length)
        log.info('follower changes', {
          new: events.filter((e) => e.kind === 'new').length,
          lost: events.filter((e) => e.kind === 'lost').length,
        });
    } catch (error) {
      addSpend(state, now, costMeter.today().billableUsers - billedBefore);
      await this.#failed(state, subs, error, now);
      await states.save(state);
    }
  }

  /** At least the configured interval, and slow enough to use half of X's followers bucket at most. */
  #spacing(tracked: number): number {
    const limit = this.o.x.rateLimits.get('GET /2/users/:id/followers app')?.limit ?? 300;
    return Math.max(this.o.intervalMs, Math.ceil((tracked * WINDOW_MS) / Math.max(1, limit / 2)));
  }

  async #failed(state: AccountState, subs: Subscription[], error: unknown, now: number): Promise<void> {
    const log = this.o.log.child({ account: state.id });
    if (error instanceof XRateLimitedError || error instanceof XBudgetExceededError) {
      const reason =
        error instanceof XRateLimitedError ? 'waiting for X’s rate limit' : 'today’s X budget is spent';
      state.waiting = { reason, until: error.resetAt };
      state.nextCheckAt = error.resetAt;
      log.info('alert checks waiting', { reason, until: new Date(error.resetAt).toISOString() });
      return;
    }
    if (error instanceof XError && ['not-found', 'suspended', 'protected'].includes(error.kind)) {
      const why = { 'not-found': 'no longer exists', suspended: 'is suspended', protected: 'is protected' }[
        error.kind as 'not-found'
      ];
      await this.o.subscriptions.update((list) => {
        for (const s of list)
          if (s.account.id === state.id && !s.paused)
            s.paused = { reason: `${xHandle(state)} ${why} on X`, at: now };
      });
      log.info('alerts paused: the account cannot be read', { kind: error.kind });
      return;
    }
    state.failures += 1;
    const backoff = Math.min(MAX_BACKOFF_MS, this.o.intervalMs * 2 ** state.failures);
    // Jitter spreads retries so accounts that failed together do not return together.
    const wait = Math.round(backoff * (0.5 + Math.random() / 2));
    state.waiting = { reason: 'X is not answering', until: now + wait };
    state.nextCheckAt = now + wait;
    log.warn('alert check failed; backing off', {
      failures: state.failures,
      waitMs: wait,
      error,
      subscriptions: subs.length,
    });
  }

  /**
   * `since` is the previous check's time: the same events found again after a crash (before the
   * state was saved) get the same entry ids, so the outbox does not take them twice.
   */
  #entries(s: Subscription, events: FollowerEvent[], now: number, since: number): OutboxEntry[] {
    const wanted = (kind: 'new' | 'lost') =>
      events.filter(
        (e) =>
          e.kind === kind &&
          (s.events === 'both' || s.events === kind) &&
          (e.user.public_metrics?.followers_count ?? 0) >= s.minFollowers,
      );
    const entries: OutboxEntry[] = [];
    for (const kind of ['new', 'lost'] as const) {
      const chosen = wanted(kind);
      const message = renderAlerts(s, kind, chosen);
      if (!message) continue;
      const keys = chosen.map((e) => `${e.user.id}@${since}`);
      entries.push({
        id: entryId(s.channelId, `${kind}:${s.account.id}`, keys),
        guildId: s.guildId,
        channelId: s.channelId,
        message,
        createdAt: now,
      });
    }
    return entries;
  }

  async #deliver(channelId: string, active: Subscription[]): Promise<void> {
    const pending = await this.o.outbox.pending(channelId);
    for (const entry of pending.slice(0, PER_CHANNEL_PER_TICK)) {
      try {
        await this.o.send(channelId, { ...entry.message, nonce: entry.id, enforce_nonce: true });
      } catch (error) {
        if (
          error instanceof DiscordAPIError &&
          (CHANNEL_CLOSED.has(Number(error.code)) || error.status === 403 || error.status === 404)
        ) {
          await this.#closeChannel(channelId, active, error);
        } else {
          this.o.log.warn('alert not delivered; will retry', { channelId, error });
        }
        return;
      }
      await this.o.outbox.markSent(channelId, entry.id);
    }
  }

  async #closeChannel(channelId: string, active: Subscription[], error: DiscordAPIError): Promise<void> {
    const reason =
      Number(error.code) === 10003
        ? 'the channel was deleted'
        : 'Flock may not post there (check View Channel, Send Messages and Embed Links)';
    const paused = await this.o.subscriptions.pauseChannel(channelId, reason, this.o.clock.now());
    const dropped = await this.o.outbox.drop(channelId);
    this.o.log.warn('alerts paused for a channel', { channelId, reason, dropped });
    const guildId = paused[0]?.guildId ?? active.find((s) => s.channelId === channelId)?.guildId;
    if (guildId && paused.length) {
      const names = paused.map((s) => xHandle(s.account)).join(', ');
      await this.o
        .notifyGuild(
          guildId,
          `Follower alerts for ${names} in <#${channelId}> are paused: ${reason}. Run \`/alerts add\` again to resume them.`,
        )
        .catch((e: unknown) =>
          this.o.log.warn('could not tell the guild alerts were paused', { guildId, error: e }),
        );
    }
  }
}

function newState(s: Subscription, now: number): AccountState {
  return {
    id: s.account.id,
    username: s.account.username,
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

function addSpend(state: AccountState, now: number, users: number): void {
  const day = utcDay(now);
  if (state.spend.day !== day) state.spend = { day, users: 0 };
  state.spend.users += Math.max(0, users);
}
