/**
 * Alert subscriptions: which X account is watched for which channel, with what events, role
 * and threshold, and whether delivery is paused (and why).
 */
import type Keyv from 'keyv';
import type { Locks } from '../coordination/locks.js';
import type { Store } from '../store/open-store.js';
import type { AlertKind } from './events.js';
import type { PauseReason, StoredReason } from './reasons.js';

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
  paused: { reason: StoredReason<PauseReason>; at: number } | undefined;
  /**
   * The server's language when the alert was added (the interaction's guild_locale): alerts use it
   * when the gateway has not told this process the server's current one. Absent before alerts spoke
   * more than English.
   */
  locale?: string | undefined;
  /**
   * The weekly digest is on (opt-in, /alerts digest): `since` is the start (a Monday, UTC) of the
   * first week it reports.
   */
  digest?: { since: number } | undefined;
}

/** Where each kind of record lives; keys of `subscription` records are `<account>:<channel>`. */
const NAMESPACES = {
  subscription: 'alert-subscription',
  byGuild: 'alert-subscriptions-by-guild',
  byAccount: 'alert-subscriptions-by-account',
  byChannel: 'alert-subscriptions-by-channel',
  /** Flock before one record per subscription kept them all here, under `all`. */
  legacy: 'alert-subscriptions',
} as const;

const keyOf = (s: Pick<Subscription, 'account' | 'channelId'>) => `${s.account.id}:${s.channelId}`;

export type AddResult = { kind: 'added' | 'updated' | 'resumed' } | { kind: 'full' };

/**
 * One record per subscription, and the three indexes the queries need (by guild, by account, by
 * channel). Every index is bounded by what it indexes: a guild has at most ALERTS_MAX_PER_GUILD
 * subscriptions, a channel fewer, an account as many channels as watch it. No record grows with
 * the number of servers or accounts. Writes take one lock, so the indexes never disagree.
 */
export class Subscriptions {
  readonly #subs;
  readonly #byGuild;
  readonly #byAccount;
  readonly #byChannel;

  constructor(
    private readonly store: Store,
    private readonly locks: Locks,
  ) {
    this.#subs = store.namespace<Subscription>(NAMESPACES.subscription);
    this.#byGuild = store.namespace<string[]>(NAMESPACES.byGuild);
    this.#byAccount = store.namespace<string[]>(NAMESPACES.byAccount);
    this.#byChannel = store.namespace<string[]>(NAMESPACES.byChannel);
  }

  /** Moves subscriptions from the single record of earlier versions to one record each. */
  async migrate(): Promise<number> {
    const legacy = this.store.namespace<Subscription[]>(NAMESPACES.legacy);
    const all = await legacy.get('all');
    if (!all) return 0;
    for (const s of all) await this.#write(s);
    await legacy.delete('all');
    return all.length;
  }

  forGuild(guildId: string): Promise<Subscription[]> {
    return this.#read(this.#byGuild, guildId);
  }

  /** The channels that watch an account, paused ones too. */
  forAccount(accountId: string): Promise<Subscription[]> {
    return this.#read(this.#byAccount, accountId);
  }

  forChannel(channelId: string): Promise<Subscription[]> {
    return this.#read(this.#byChannel, channelId);
  }

  /** Every account some channel watches (paused or not), a page at a time from the store. */
  async *accounts(): AsyncGenerator<string> {
    if (!this.#byAccount.iterator) return;
    for await (const [key, keys] of this.#byAccount.iterator(undefined))
      if (Array.isArray(keys) && keys.length) yield String(key);
  }

  /**
   * Adds a subscription, or replaces the one for the same account and channel (resuming it when
   * paused), unless the guild already has `limit`: decided under the lock, so two adds at once
   * cannot both pass the limit.
   */
  add(subscription: Subscription, limit: number): Promise<AddResult> {
    return this.locks.run(LOCK, async () => {
      const existing = await this.#subs.get(keyOf(subscription));
      if (existing) {
        // Adding again changes what is announced, not whether the digest is on.
        await this.#subs.set(keyOf(subscription), {
          ...subscription,
          createdAt: existing.createdAt,
          digest: subscription.digest ?? existing.digest,
        });
        return { kind: existing.paused ? 'resumed' : 'updated' };
      }
      if (((await this.#byGuild.get(subscription.guildId)) ?? []).length >= limit) return { kind: 'full' };
      await this.#write(subscription);
      return { kind: 'added' };
    });
  }

  /** Removes the guild's subscriptions that `matches`; returns them. */
  remove(guildId: string, matches: (s: Subscription) => boolean): Promise<Subscription[]> {
    return this.locks.run(LOCK, async () => {
      const gone = (await this.forGuild(guildId)).filter(matches);
      for (const s of gone) await this.#erase(s);
      return gone;
    });
  }

  /**
   * Turns the weekly digest on (from the week starting `since`) or off for the guild's
   * subscriptions that `matches`; returns them as they now are.
   */
  setDigest(
    guildId: string,
    matches: (s: Subscription) => boolean,
    digest: Subscription['digest'],
  ): Promise<Subscription[]> {
    return this.locks.run(LOCK, async () => {
      const changed: Subscription[] = [];
      for (const s of (await this.forGuild(guildId)).filter(matches)) {
        // Turning it on again keeps the week it started from: no week is reported twice or lost.
        const next = { ...s, digest: digest && (s.digest ?? digest) };
        await this.#subs.set(keyOf(s), next);
        changed.push(next);
      }
      return changed;
    });
  }

  /** Pauses the active subscriptions of a channel (deleted, or closed to Flock); returns them. */
  pauseChannel(channelId: string, reason: PauseReason, at: number): Promise<Subscription[]> {
    return this.#pause(this.forChannel(channelId), reason, at);
  }

  /** Pauses the active subscriptions of an account (X cannot show it); returns them. */
  pauseAccount(accountId: string, reason: PauseReason, at: number): Promise<Subscription[]> {
    return this.#pause(this.forAccount(accountId), reason, at);
  }

  #pause(subs: Promise<Subscription[]>, reason: PauseReason, at: number): Promise<Subscription[]> {
    return this.locks.run(LOCK, async () => {
      const active = (await subs).filter((s) => !s.paused);
      for (const s of active) await this.#subs.set(keyOf(s), { ...s, paused: { reason, at } });
      return active;
    });
  }

  async #read(index: Keyv<string[]>, id: string): Promise<Subscription[]> {
    const keys = (await index.get(id)) ?? [];
    if (!keys.length) return [];
    const found = await this.#subs.getMany(keys);
    return found.filter((s): s is Subscription => s !== undefined);
  }

  async #write(s: Subscription): Promise<void> {
    await this.#subs.set(keyOf(s), s);
    await addTo(this.#byGuild, s.guildId, keyOf(s));
    await addTo(this.#byAccount, s.account.id, keyOf(s));
    await addTo(this.#byChannel, s.channelId, keyOf(s));
  }

  async #erase(s: Subscription): Promise<void> {
    await removeFrom(this.#byGuild, s.guildId, keyOf(s));
    await removeFrom(this.#byAccount, s.account.id, keyOf(s));
    await removeFrom(this.#byChannel, s.channelId, keyOf(s));
    await this.#subs.delete(keyOf(s));
  }
}

/** Every write to subscriptions and their indexes takes this one lock: writes are rare. */
const LOCK = 'alert-subscriptions';

async function addTo(index: Keyv<string[]>, id: string, key: string): Promise<void> {
  const keys = (await index.get(id)) ?? [];
  if (!keys.includes(key)) await index.set(id, [...keys, key]);
}

async function removeFrom(index: Keyv<string[]>, id: string, key: string): Promise<void> {
  const keys = ((await index.get(id)) ?? []).filter((k) => k !== key);
  if (keys.length) await index.set(id, keys);
  else await index.delete(id);
}
