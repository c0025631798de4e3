/**
 * When alerts work happens: a start/stop/tick object. A tick (ticks never overlap) turns stream
 * events into alerts and delivers what is pending; every few seconds at most it also keeps the
 * Activity subscriptions in line with the watched accounts and polls the accounts the stream
 * does not serve. What each step does lives in the sources (stream, poll) and in delivery.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { AccountStates } from './account-state.js';
import type { AlertDelivery } from './delivery.js';
import type { WeeklyDigests } from './digests.js';
import { carryGrowthOver, type GrowthHistory } from './growth-history.js';
import type { SourceReason } from './reasons.js';
import type { PollSource } from './sources/poll-source.js';
import type { StreamSource } from './sources/stream-source.js';
import type { StreamSubscriptions } from './sources/stream-subscriptions.js';
import type { Subscription, Subscriptions } from './subscriptions.js';

export interface ScheduleOptions {
  subscriptions: Subscriptions;
  states: AccountStates;
  poll: PollSource;
  /** Undefined when ALERTS_SOURCE=poll. */
  stream: StreamSource | undefined;
  keeper: StreamSubscriptions;
  delivery: AlertDelivery;
  history: GrowthHistory;
  digests: WeeklyDigests;
  clock: Clock;
  log: Logger;
}

/** The poller looks for due accounts at most this often (each account has its own interval). */
const POLL_EVERY_MS = 5_000;
/** X's subscriptions are listed again this often, to catch what a failed delete left behind. */
const RECONCILE_EVERY_MS = 6 * 60 * 60_000;
/** The day's growth records are started, and due digests made, at most this often. */
const GROWTH_EVERY_MS = 60_000;

export class AlertSchedule {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastPoll = Number.NEGATIVE_INFINITY;
  #lastReconcile = Number.NEGATIVE_INFINITY;
  #lastGrowth = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: ScheduleOptions) {}

  get stream(): StreamSource | undefined {
    return this.o.stream;
  }

  /** Each tracked account's follower count and gains and losses per day. */
  get history(): GrowthHistory {
    return this.o.history;
  }

  /** Why no account can be streamed (the setting, or the X plan), if that is so. */
  get unavailable(): SourceReason | undefined {
    return this.o.keeper.unavailable;
  }

  /**
   * Ticks every `everyMs`, and keeps the Activity stream connected. `fence` is the alerts lease's,
   * where several processes share the work: the stream writes under it.
   */
  start(everyMs = 1_000, fence?: number): void {
    this.#timer ??= setInterval(() => void this.tick(), everyMs);
    this.#timer.unref();
    this.o.stream?.start(fence);
  }

  /** Stops ticking and the stream, and waits for the tick in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.o.stream?.stop();
    await this.#running;
  }

  /**
   * Runs one tick; a call while one runs waits for that one instead of starting another. Never
   * rejects: each step logs its own failure.
   */
  tick(): Promise<void> {
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** The channels that watch each account, paused ones left out. */
  watched(): Promise<Map<string, Subscription[]>> {
    return watchedAccounts(this.o.subscriptions);
  }

  /** An account no channel watches any more: its subscriptions at X go, and its state. */
  async untrack(accountId: string): Promise<void> {
    const state = await this.o.states.get(accountId);
    await this.o.keeper.drop(state?.source);
    await this.o.states.delete(accountId);
  }

  async #tick(): Promise<void> {
    const { log, clock } = this.o;
    let watched: Map<string, Subscription[]>;
    try {
      watched = await this.watched();
    } catch (error) {
      // The store is away (or failing): nothing can be done this tick, and a tick runs from a
      // timer, where a rejection would end the process. The next tick tries again.
      log.warn('alerts: could not read the watched accounts; trying again next tick', { error });
      return;
    }
    const now = clock.now();
    // Each step logs its own failure, under its name; the names are the log's, in English.
    const step = async (stepLog: Logger, run: () => Promise<void>) => {
      try {
        await run();
      } catch (error) {
        stepLog.error('alerts: a step failed', { error });
      }
    };
    if (now - this.#lastPoll >= POLL_EVERY_MS) {
      this.#lastPoll = now;
      if (now - this.#lastReconcile >= RECONCILE_EVERY_MS) {
        this.#lastReconcile = now;
        await step(log.child({ step: 'reconciling Activity subscriptions' }), () =>
          this.o.keeper.reconcile(watched),
        );
      } else {
        await step(log.child({ step: 'subscribing accounts' }), () => this.o.keeper.ensure(watched));
      }
      await step(log.child({ step: 'polling' }), () => this.o.poll.tick(watched));
    }
    const { stream } = this.o;
    if (stream) await step(log.child({ step: 'stream events' }), () => stream.drain());
    if (now - this.#lastGrowth >= GROWTH_EVERY_MS) {
      this.#lastGrowth = now;
      await step(log.child({ step: 'starting the day of growth records' }), () =>
        carryGrowthOver(this.o.states, this.o.history, watched.keys(), now),
      );
      await step(log.child({ step: 'weekly digests' }), async () => {
        await this.o.digests.tick(watched);
      });
    }
    await step(log.child({ step: 'delivery' }), () => this.o.delivery.tick());
  }
}

/** Every watched account with the channels that watch it, paused ones left out. */
export async function watchedAccounts(subscriptions: Subscriptions): Promise<Map<string, Subscription[]>> {
  const byAccount = new Map<string, Subscription[]>();
  for await (const id of subscriptions.accounts()) {
    const active = (await subscriptions.forAccount(id)).filter((s) => !s.paused);
    if (active.length) byAccount.set(id, active);
  }
  return byAccount;
}
