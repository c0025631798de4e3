/**
 * The stream source: one connection to X's Activity stream, kept open. Events are billed,
 * de-duplicated by X's event uuid and kept in the account's inbox in the store as they arrive;
 * `drain` turns an inbox into alerts a moment later, so a burst is one message and a crash at
 * any point loses nothing and repeats nothing (a batch being drained is named in the store
 * before it is recorded, and recorded under ids made from its events).
 *
 * Silence longer than a few keep-alive intervals is a stall: the connection is dropped and made
 * again, after a jittered backoff. After a gap, the new connection asks X to replay it
 * (`backfill_minutes`); a gap longer than X replays marks every streamed account for one
 * reconciling poll. Knows nothing of Discord.
 */
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/open-store.js';
import {
  type FollowActivity,
  type SpendTally,
  XBudgetExceededError,
  type XClient,
  XLimitReachedError,
  XNotEnrolledError,
} from '../../x/index.js';
import {
  type AccountState,
  type AccountStates,
  addSpend,
  RECENT_LIMIT,
  RECENT_LOST_LIMIT,
} from '../account-state.js';
import type { AlertRecorder } from '../alert-entries.js';
import { describeLost } from '../check-account.js';
import type { KeyedEvent } from '../events.js';
import { addGrowth, type GrowthHistory } from '../growth-history.js';
import { type SourceReason, sameReason, type WaitReason } from '../reasons.js';

export interface StreamSourceOptions {
  x: XClient;
  clock: Clock;
  log: Logger;
  store: Store;
  states: AccountStates;
  recorder: AlertRecorder;
  history: GrowthHistory;
  /** The accounts Flock watches now (events for others are ignored until their subscriptions go). */
  watched: () => Promise<Set<string>>;
  /** Called when X says the plan has no Activity API: every account goes back to polling. */
  onUnavailable: (reason: SourceReason) => Promise<void>;
  /** X sends a keep-alive about every 20 s; silence for three of them is a stall. */
  keepAliveMs?: number;
  /** First wait after a failed connection; doubles up to `maxBackoffMs`, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** X replays at most this much of what a connection missed. */
export const BACKFILL_MAX_MS = 5 * 60_000;
/** How long a delivered event's uuid is remembered: the replay window and a margin. */
const SEEN_TTL_MS = 30 * 60_000;
/** The last sign of life is saved at most this often. */
const ALIVE_SAVE_MS = 5_000;

export interface StreamStatus {
  state: 'stopped' | 'connecting' | 'connected' | 'waiting' | 'off';
  /** Since when it is in this state (Flock's clock). */
  since: number;
  /** Why it is waiting or off, said in /alerts list. */
  reason?: WaitReason | undefined;
}

export class StreamSource {
  readonly #seen;
  readonly #meta;
  #status: StreamStatus;
  #running: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #stopped = true;
  #lastAliveSaved = 0;
  /** Accounts whose inbox may hold events (all watched ones at first, after a restart). */
  readonly #toDrain = new Set<string>();
  #drainedOnce = false;
  /** Aborted by stop(): ends a wait between connections at once. */
  #stopping = new AbortController();
  #watchedCache: { at: number; ids: Set<string> } | undefined;
  /** This holder's lease fence, when the stream runs under a lease (several processes). */
  #fence: number | undefined;

  constructor(private readonly o: StreamSourceOptions) {
    this.#seen = o.store.namespace<true>('activity-seen');
    this.#meta = o.store.namespace<number>('activity-stream');
    this.#status = { state: 'stopped', since: o.clock.now() };
  }

  get status(): StreamStatus {
    return this.#status;
  }

  /** Connects and stays connected until stop(); `fence` is the lease's, where the stream runs under one. */
  start(fence?: number): void {
    if (this.#running !== undefined) return;
    this.#fence = fence;
    this.#stopped = false;
    this.#stopping = new AbortController();
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#abort?.abort();
    await this.#running;
    this.#set('stopped');
  }

  /** Turns the inboxes that hold events into alerts. */
  async drain(): Promise<void> {
    const ids = this.#drainedOnce ? [...this.#toDrain] : [...(await this.o.watched()), ...this.#toDrain];
    this.#drainedOnce = true;
    this.#toDrain.clear();
    for (const id of new Set(ids)) {
      try {
        await this.#drainAccount(id);
      } catch (error) {
        this.#toDrain.add(id);
        this.o.log.error('could not turn stream events into alerts', { account: id, error });
      }
    }
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      const controller = new AbortController();
      this.#abort = controller;
      let stalled = false;
      let watchdog: NodeJS.Timeout | undefined;
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(
          () => {
            stalled = true;
            controller.abort();
          },
          3 * (this.o.keepAliveMs ?? 20_000),
        );
      };
      try {
        if (!this.o.x.canAfford(1))
          throw new XBudgetExceededError('no budget left for stream events today', 'stream', 0);
        const replay = await this.#replay();
        this.#set('connecting');
        feed();
        for await (const item of this.o.x.activityStream({ ...replay, signal: controller.signal })) {
          if (controller.signal.aborted) break;
          feed();
          if (this.#status.state !== 'connected') {
            this.#set('connected');
            failures = 0;
          }
          await this.#alive();
          if (item.kind === 'event') await this.#receive(item.event);
        }
        if (stalled) this.o.log.warn('the Activity stream went silent; reconnecting');
      } catch (error) {
        if (this.#stopped) break;
        failures += 1;
        if (error instanceof XNotEnrolledError) {
          const reason = { code: 'no-activity-api' } as const;
          this.#set('off', reason);
          await this.o.onUnavailable(reason);
          await this.#sleep(60 * 60_000);
          continue;
        }
        this.#set('waiting', {
          code:
            error instanceof XBudgetExceededError
              ? 'budget-spent'
              : error instanceof XLimitReachedError
                ? 'connection-refused'
                : 'stream-down',
        });
        this.o.log.warn('Activity stream connection failed', { error, failures });
      } finally {
        clearTimeout(watchdog);
      }
      if (this.#stopped) break;
      await this.#sleep(this.#backoff(failures));
    }
  }

  /** What to ask X to replay: the gap since the last sign of life, up to what X keeps. */
  async #replay(): Promise<{ backfillMinutes?: number }> {
    const lastAlive = await this.#meta.get('last-alive');
    if (lastAlive === undefined) {
      // The first connection ever: nothing before it to replay. Its start is the mark from now
      // on, before X's first line, so a holder that dies before one arrives leaves the next a
      // gap to replay rather than none.
      await this.#meta.set('last-alive', this.o.clock.now());
      return {};
    }
    // Always at least a minute: the last sign of life is saved every few seconds, so the gap is
    // never known to the second, and a replayed event costs nothing (X bills it once a day).
    const gap = this.o.clock.now() - lastAlive;
    if (gap > BACKFILL_MAX_MS) {
      // More than X replays: the streamed accounts each need a poll to find what fell between.
      for (const id of await this.o.watched()) {
        await this.o.states.update(id, async (state) => {
          if (state?.source?.kind !== 'stream' || state.source.gapSince !== undefined)
            return { state: undefined, result: undefined };
          return { state: { ...state, source: { ...state.source, gapSince: lastAlive } }, result: undefined };
        });
      }
      this.o.log.warn('the Activity stream was down longer than X replays; polling once to reconcile', {
        gapMs: gap,
      });
      return { backfillMinutes: BACKFILL_MAX_MS / 60_000 };
    }
    return { backfillMinutes: Math.min(BACKFILL_MAX_MS / 60_000, Math.max(1, Math.ceil(gap / 60_000))) };
  }

  async #alive(): Promise<void> {
    const now = this.o.clock.now();
    if (now - this.#lastAliveSaved < ALIVE_SAVE_MS) return;
    this.#lastAliveSaved = now;
    await this.#meta.set('last-alive', now);
  }

  /** Bills, de-duplicates and keeps one delivered event in its account's inbox. */
  async #receive(activity: FollowActivity): Promise<void> {
    const accountId = activity.filterUserId;
    // X bills what it delivered (once per event a day), whether or not Flock keeps it.
    const tally: SpendTally = { users: 0, events: 0 };
    this.o.x.billEvents([activity.uuid], tally);
    if (!this.o.x.canAfford(1)) {
      // Today's budget is spent: let go of the stream (X bills only what it delivers) until it resets.
      this.o.log.warn('today’s X budget is spent; the Activity stream waits for the next UTC day');
      this.#abort?.abort();
    }
    if (await this.#seen.get(activity.uuid)) return;
    if (!(await this.#watched()).has(accountId)) return;
    const event = toEvent(activity);
    const fence = this.#fence;
    const kept = await this.o.states.update(accountId, async (state) => {
      if (!state) return { state: undefined, result: true };
      // Checked and written under the account's lock: once a newer holder has written here, a
      // holder that has not yet noticed its lost lease writes nothing more.
      if (fence !== undefined && (state.streamFence ?? 0) > fence) return { state: undefined, result: false };
      const next = structuredClone(state);
      if (fence !== undefined) next.streamFence = fence;
      addSpend(next, this.o.clock.now(), tally.events);
      // The tracked account's own count comes with each event about its followers.
      const tracked = activity.target.id === accountId ? activity.target : activity.source;
      if (tracked.public_metrics && event.kind !== 'followed' && event.kind !== 'unfollowed')
        next.followersCount = tracked.public_metrics.followers_count;
      const inbox = next.inbox ?? [];
      if (!inbox.some((e) => e.key === event.key) && !next.draining?.some((e) => e.key === event.key))
        next.inbox = [...inbox, event];
      return { state: next, result: true };
    });
    if (!kept) {
      this.o.log.warn('another process holds the Activity stream now; letting go of this connection');
      this.#stopped = true;
      this.#abort?.abort();
      this.#set('stopped', { code: 'other-process' });
      return;
    }
    await this.#seen.set(activity.uuid, true, SEEN_TTL_MS);
    this.#toDrain.add(accountId);
  }

  async #drainAccount(id: string): Promise<void> {
    // First name the batch in the store, so a crash from here on drains exactly it again.
    const batch = await this.o.states.update(id, async (state) => {
      if (!state) return { state: undefined, result: [] as KeyedEvent[] };
      if (state.draining?.length) return { state: undefined, result: state.draining };
      if (!state.inbox?.length) return { state: undefined, result: [] as KeyedEvent[] };
      return { state: { ...state, draining: state.inbox, inbox: [] }, result: state.inbox };
    });
    if (!batch.length) return;
    await this.o.states.update(id, async (state) => {
      if (!state) return { state: undefined, result: undefined };
      const next = structuredClone(state);
      const events = await this.#named(next, batch);
      await this.o.recorder.record(id, events);
      applyToState(next, events);
      // Counted in the same write that ends the batch: a batch drained again after a crash was
      // never counted.
      next.growth = addGrowth(next.growth, this.o.clock.now(), {
        followers: next.followersCount,
        gained: events.filter((e) => e.kind === 'new').length,
        lost: events.filter((e) => e.kind === 'lost').length,
      });
      await this.o.history.save(id, next.growth);
      next.draining = undefined;
      return { state: next, result: undefined };
    });
  }

  /**
   * The batch less what a poll already announced, with followers X says are gone (no profile)
   * looked up to tell suspended from deactivated.
   */
  async #named(state: AccountState, batch: KeyedEvent[]): Promise<KeyedEvent[]> {
    const recent = new Set(state.recent);
    const lost = new Set(state.recentLost ?? []);
    const kept = batch.filter(
      (e) => !(e.kind === 'new' && recent.has(e.user.id)) && !(e.kind === 'lost' && lost.has(e.user.id)),
    );
    const gone = kept.filter((e) => e.kind === 'lost' && e.user.username === e.user.id);
    if (!gone.length) return kept;
    const tally: SpendTally = { users: 0, events: 0 };
    const described = await describeLost(
      this.o.x,
      gone.map((e) => e.user.id),
      { tally },
    );
    addSpend(state, this.o.clock.now(), tally.users);
    const byId = new Map(described.map((e) => [e.user.id, e]));
    return kept.map((e) => {
      const found = e.kind === 'lost' ? byId.get(e.user.id) : undefined;
      return found ? { ...found, key: e.key } : e;
    });
  }

  /** The watched accounts, read at most once a second (a burst of events reads them once). */
  async #watched(): Promise<Set<string>> {
    const now = Date.now();
    if (!this.#watchedCache || now - this.#watchedCache.at > 1_000)
      this.#watchedCache = { at: now, ids: await this.o.watched() };
    return this.#watchedCache.ids;
  }

  #set(state: StreamStatus['state'], reason?: WaitReason): void {
    if (this.#status.state === state && sameReason(this.#status.reason, reason)) return;
    this.#status = { state, since: this.o.clock.now(), reason };
  }

  #backoff(failures: number): number {
    const base = this.o.backoffMs ?? 1_000;
    const wait = Math.min(this.o.maxBackoffMs ?? 5 * 60_000, base * 2 ** Math.max(0, failures - 1));
    // Jitter: processes (and X's other clients) that failed together do not come back together.
    return Math.round(wait * (0.5 + Math.random() / 2));
  }

  #sleep(ms: number): Promise<void> {
    const { signal } = this.#stopping;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Which side of the event the tracked account is on says what happened. */
export function toEvent(activity: FollowActivity): KeyedEvent {
  const key = activity.uuid;
  const follows = activity.type === 'follow.follow';
  if (activity.target.id === activity.filterUserId)
    return follows
      ? { kind: 'new', user: activity.source, key }
      : { kind: 'lost', user: activity.source, reason: 'unfollowed', key };
  return follows
    ? { kind: 'followed', user: activity.target, key }
    : { kind: 'unfollowed', user: activity.target, key };
}

/** Keeps the poll's anchor current with what the stream announced. */
function applyToState(state: AccountState, events: KeyedEvent[]): void {
  const fresh = events.filter((e) => e.kind === 'new').map((e) => e.user.id);
  const lost = events.filter((e) => e.kind === 'lost').map((e) => e.user.id);
  const gone = new Set(lost);
  state.recent = [...fresh.reverse(), ...state.recent.filter((id) => !gone.has(id))].slice(0, RECENT_LIMIT);
  if (state.allFollowers)
    state.allFollowers = [...state.allFollowers.filter((id) => !gone.has(id)), ...fresh];
  state.recentLost = [...lost, ...(state.recentLost ?? [])].slice(0, RECENT_LOST_LIMIT);
}
