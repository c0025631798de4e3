/**
 * The alert parts wired together: the recorder both sources write through, the poll source, the
 * stream source and its subscription keeper (unless ALERTS_SOURCE=poll), delivery, and the
 * schedule that runs them.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Locks } from '../coordination/locks.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import type { UserAuth, XClient } from '../x/index.js';
import type { AccountStates } from './account-state.js';
import { AlertRecorder } from './alert-entries.js';
import { AlertDelivery, type DeliveryOptions } from './delivery.js';
import { WeeklyDigests } from './digests.js';
import { GrowthHistory } from './growth-history.js';
import type { Outbox } from './outbox.js';
import { AlertSchedule, watchedAccounts } from './schedule.js';
import { PollSource } from './sources/poll-source.js';
import { StreamSource } from './sources/stream-source.js';
import { StreamSubscriptions } from './sources/stream-subscriptions.js';
import type { Subscriptions } from './subscriptions.js';

export interface AlertsOptions extends Pick<DeliveryOptions, 'send' | 'notifyGuild' | 'guildLocale'> {
  x: XClient;
  clock: Clock;
  log: Logger;
  store: Store;
  subscriptions: Subscriptions;
  states: AccountStates;
  outbox: Outbox;
  config: Config['alerts'];
  locks: Locks;
  tag: string;
  withLinkedToken: <T>(xUserId: string, call: (auth: UserAuth) => Promise<T>) => Promise<T | undefined>;
  /** Tests shorten X's keep-alive interval and the reconnect backoff. */
  stream?: { keepAliveMs?: number; backoffMs?: number; maxBackoffMs?: number };
}

export function createAlerts(o: AlertsOptions): AlertSchedule {
  const { x, clock, log, store, subscriptions, states, outbox, config } = o;
  const recorder = new AlertRecorder(subscriptions, outbox, clock, o.guildLocale);
  const history = new GrowthHistory(store);
  const keeper = new StreamSubscriptions({
    x,
    states,
    clock,
    log,
    mode: config.source,
    tag: o.tag,
    withLinkedToken: o.withLinkedToken,
  });
  const watchedIds = async () => new Set((await watchedAccounts(subscriptions)).keys());
  const stream =
    config.source === 'poll'
      ? undefined
      : new StreamSource({
          x,
          clock,
          log,
          store,
          states,
          recorder,
          history,
          watched: watchedIds,
          onUnavailable: (reason) => keeper.giveUp(reason),
          ...o.stream,
        });
  return new AlertSchedule({
    subscriptions,
    states,
    poll: new PollSource({
      x,
      clock,
      log,
      subscriptions,
      states,
      recorder,
      history,
      intervalMs: config.intervalSeconds * 1000,
      scanMaxFollowers: config.scanMaxFollowers,
      mode: config.source,
    }),
    stream,
    keeper,
    delivery: new AlertDelivery({
      outbox,
      subscriptions,
      clock,
      log,
      locks: o.locks,
      send: o.send,
      notifyGuild: o.notifyGuild,
      guildLocale: o.guildLocale,
    }),
    history,
    digests: new WeeklyDigests({ history, outbox, store, clock, log, guildLocale: o.guildLocale }),
    clock,
    log,
  });
}
