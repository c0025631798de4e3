/**
 * Alert subscriptions: which X account is watched for which channel, with what events, role
 * and threshold, and whether delivery is paused (and why). All of them live in one record, so
 * the poller reads them in one go; writes go through one lock so a command and the poller
 * never overwrite each other's change.
 */
import type { Store } from '../store/open-store.js';
import type { AlertKind } from './events.js';

/**
 * What a subscription announces: followers gained (`new`), lost (`lost`) or both; or the
 * account's own follows (`followed`), unfollows (`unfollowed`) or both (`follows`); or all four.
 */
export const ALERT_EVENTS = ['new', 'lost', 'both', 'followed', 'unfollowed', 'follows', 'all'] as const;
export type AlertEvents = (typeof ALERT_EVENTS)[number];

const KINDS: Record<AlertEvents, readonly AlertKind[]> = {
  new: ['new'],
  lost: ['lost'],
  both: ['new', 'lost'],
  followed: ['followed'],
  unfollowed: ['unfollowed'],
  follows: ['followed', 'unfollowed'],
  all: ['new', 'lost', 'followed', 'unfollowed'],
};

/** The kinds of event a subscription announces. */
export const kindsOf = (events: AlertEvents): readonly AlertKind[] => KINDS[events];

/** Whether any of these subscriptions wants a kind of event. */
export const anyWants = (subs: readonly Pick<Subscription, 'events'>[], kind: AlertKind) =>
  subs.some((s) => KINDS[s.events].includes(kind));

export interface Subscription {
  guildId: string;
  channelId: string;
  account: { id: string; username: string; name: string };
  events: AlertEvents;
  roleId: string | undefined;
  /** Only followers with at least this many followers of their own are announced. */
  minFollowers: number;
  createdBy: string;
  createdAt: number;
  paused: { reason: string; at: number } | undefined;
}

export const sameTarget = (
  a: Pick<Subscription, 'channelId' | 'account'>,
  b: Pick<Subscription, 'channelId' | 'account'>,
) => a.channelId === b.channelId && a.account.id === b.account.id;

export class Subscriptions {
  readonly #record;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(store: Store) {
    this.#record = store.namespace<Subscription[]>('alert-subscriptions');
  }

  async all(): Promise<Subscription[]> {
    return (await this.#record.get('all')) ?? [];
  }

  async forGuild(guildId: string): Promise<Subscription[]> {
    return (await this.all()).filter((s) => s.guildId === guildId);
  }

  /** Applies `change` to the whole list under the lock and saves it. */
  update<T>(change: (list: Subscription[]) => T): Promise<T> {
    const run = this.#lock.then(async () => {
      const list = await this.all();
      const result = change(list);
      await this.#record.set('all', list);
      return result;
    });
    this.#lock = run.catch(() => undefined);
    return run;
  }

  pauseChannel(channelId: string, reason: string, at: number): Promise<Subscription[]> {
    return this.update((list) => {
      const paused = list.filter((s) => s.channelId === channelId && !s.paused);
      for (const s of paused) s.paused = { reason, at };
      return paused;
    });
  }
}
