/**
 * Alert subscriptions: which X account is watched for which channel, with what events, role
 * and threshold, and whether delivery is paused (and why). All of them live in one record, so
 * the poller reads them in one go; writes go through one lock so a command and the poller
 * never overwrite each other's change.
 */
import type { Store } from '../store/open-store.js';

export type AlertEvents = 'new' | 'lost' | 'both';

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
