/**
 * An estimate of what Flock's X usage costs today, counted the way X bills: each user object a
 * read returns is billed once per UTC day however often it comes back, each follow or
 * unfollow is billed per request, and each Activity API event is billed once per UTC day by
 * its event_uuid (whoever receives the stream records what it delivered). Once
 * X_DAILY_BUDGET_USD is reached, reads are refused before they are sent until the next UTC day.
 *
 * With a shared part (several processes on one Redis), the day's figures are every process's:
 * what this one records goes to Redis (at once through `recordUsersShared`, else at the next
 * `share`), and `today()` is the last totals Redis gave plus what it has not yet taken. While
 * Redis is away, what could not be shared is kept and sent with the next call that gets through.
 */
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import { XBudgetExceededError } from './errors.js';
import type { SharedSpend, SpendTotals } from './shared-x-state.js';

/** Prices in millionths of a dollar, so sums stay exact. */
export const X_PRICES_MICRO_USD = {
  userRead: 10_000,
  write: 15_000,
  event: 10_000,
} as const;

/**
 * What some calls cost, for a caller that wants the spend of its own work (one account's check)
 * rather than the day's: each call or record given it adds what it made newly billable today.
 */
export interface SpendTally {
  /** Users newly billable: one already billed today adds nothing, as X bills once per UTC day. */
  users: number;
  /** Activity API events newly billable, by event_uuid. */
  events: number;
}

export interface DaySpend {
  day: string;
  billableUsers: number;
  writes: number;
  billableEvents: number;
  usd: number;
}

/** A place to keep today's figures across restarts; Flock passes one backed by its store. */
export interface CostLedger {
  load(day: string): Promise<LedgerRecord | undefined>;
  save(day: string, record: LedgerRecord): Promise<void>;
}

export interface LedgerRecord {
  userIds: string[];
  writes: number;
  /** Absent in records saved before events were billed. */
  eventIds?: string[];
}

/** Totals older than this are pulled again when `today()` is asked (without waiting for them). */
const REFRESH_EVERY_MS = 1_000;

interface Unshared {
  users: Set<string>;
  events: Set<string>;
  writes: number;
}

export class CostMeter {
  #day: string;
  #users = new Set<string>();
  #writes = 0;
  #events = new Set<string>();
  readonly #shared: SharedSpend | undefined;
  /** Recorded here, not yet known to be in Redis (sent, unanswered, or failed). */
  #unshared: Unshared = { users: new Set(), events: new Set(), writes: 0 };
  /**
   * Writes taken out of `#unshared` by a call still waiting for its answer: a counter, unlike a
   * set, must not be sent twice.
   */
  #writesSending = 0;
  /** The latest totals Redis gave, with when (clock time). */
  #totals: (SpendTotals & { at: number }) | undefined;
  #refreshing = false;

  /** `options.shared`: today's spend of every process on one Redis (createSharedXState). */
  constructor(
    private readonly clock: Clock,
    private readonly dailyBudgetUsd?: number,
    options: { shared?: SharedSpend } = {},
  ) {
    this.#day = utcDay(clock.now());
    this.#shared = options.shared;
  }

  /** Whether the figures are shared with other processes: `share` and `recordUsersShared` then matter. */
  get isShared(): boolean {
    return this.#shared !== undefined;
  }

  #roll(): void {
    const day = utcDay(this.clock.now());
    if (day !== this.#day) {
      this.#day = day;
      this.#users = new Set();
      this.#writes = 0;
      this.#events = new Set();
      this.#unshared = { users: new Set(), events: new Set(), writes: 0 };
    }
  }

  /** Adds to today's users or events; returns the ones it did not hold, kept for Redis too when shared. */
  #add(kind: 'users' | 'events', ids: Iterable<string>): string[] {
    this.#roll();
    const set = kind === 'users' ? this.#users : this.#events;
    const unshared = this.#unshared[kind];
    const fresh: string[] = [];
    for (const id of ids) {
      if (set.has(id)) continue;
      set.add(id);
      fresh.push(id);
      if (this.#shared) unshared.add(id);
    }
    return fresh;
  }

  /**
   * Counts the users a read returned; returns how many were newly billable today, and adds them
   * to `tally`. Shared: as this process knows it; `recordUsersShared` asks every process.
   */
  recordUsers(ids: Iterable<string>, tally?: SpendTally): number {
    const added = this.#add('users', ids).length;
    if (tally) tally.users += added;
    return added;
  }

  /**
   * As `recordUsers`, with "newly billable" answered by Redis for every process. Rejects when
   * Redis fails, once the users are counted here (and in `tally`) as this process knows them.
   */
  async recordUsersShared(ids: Iterable<string>, tally?: SpendTally): Promise<number> {
    const fresh = this.#add('users', ids);
    // Users this process billed today were billed once already, whichever process told Redis.
    if (!this.#shared || fresh.length === 0) {
      if (tally) tally.users += fresh.length;
      return fresh.length;
    }
    let added = fresh.length;
    try {
      added = await this.#send(fresh);
      return added;
    } finally {
      if (tally) tally.users += added;
    }
  }

  /**
   * Counts Activity API events delivered, by event_uuid; returns how many were newly billable
   * today, and adds them to `tally`. Shared: as this process knows it (one process holds the
   * stream); Redis hears of them at the next `share`.
   */
  recordEvents(uuids: Iterable<string>, tally?: SpendTally): number {
    const added = this.#add('events', uuids).length;
    if (tally) tally.events += added;
    return added;
  }

  /** Shared: Redis hears of it at the next `share`. */
  recordWrite(): void {
    this.#roll();
    this.#writes += 1;
    if (this.#shared) this.#unshared.writes += 1;
  }

  /**
   * Sends Redis what it has not yet taken and keeps the day's totals it answers with; nothing
   * without a shared part. Rejects when Redis fails (what was not sent is kept for next time).
   */
  async share(): Promise<void> {
    if (this.#shared) await this.#send([]);
  }

  /** Sends everything not yet shared, counting which of `users` were new to every process. */
  async #send(users: string[]): Promise<number> {
    const shared = this.#shared;
    if (!shared) return users.length;
    this.#roll();
    const day = this.#day;
    const unshared = this.#unshared;
    const counted = new Set(users);
    const writes = unshared.writes;
    unshared.writes = 0;
    this.#writesSending += writes;
    const moreUsers = [...unshared.users].filter((id) => !counted.has(id));
    const events = [...unshared.events];
    try {
      const answer = await shared.record(day, { users, moreUsers, events, writes });
      for (const id of [...users, ...moreUsers]) unshared.users.delete(id);
      for (const id of events) unshared.events.delete(id);
      this.#keepTotals(answer.totals);
      return answer.newUsers;
    } catch (error) {
      unshared.writes += writes;
      throw error;
    } finally {
      this.#writesSending -= writes;
    }
  }

  /** Totals only grow within a day, so the larger of two answers is the later one, however they arrived. */
  #keepTotals(totals: SpendTotals): void {
    this.#roll();
    if (totals.day !== this.#day) return;
    const known = this.#totals?.day === totals.day ? this.#totals : undefined;
    this.#totals = {
      day: totals.day,
      users: Math.max(totals.users, known?.users ?? 0),
      events: Math.max(totals.events, known?.events ?? 0),
      writes: Math.max(totals.writes, known?.writes ?? 0),
      at: this.clock.now(),
    };
  }

  /** Shared: pulls fresh totals in the background when the last are over a second old. */
  #refreshSoon(): void {
    if (!this.#shared || this.#refreshing) return;
    const totals = this.#totals;
    if (totals?.day === this.#day && this.clock.now() - totals.at < REFRESH_EVERY_MS) return;
    this.#refreshing = true;
    // Failures are left to the calls that await `share` (every read does, and logs them).
    void this.share()
      .catch(() => undefined)
      .finally(() => {
        this.#refreshing = false;
      });
  }

  /** Today's figures: this process's own, or, shared, every process's as far as Redis last said. */
  today(): DaySpend {
    this.#roll();
    this.#refreshSoon();
    const totals = this.#totals?.day === this.#day ? this.#totals : undefined;
    const users = Math.max(this.#users.size, (totals?.users ?? 0) + this.#unshared.users.size);
    const writes = Math.max(
      this.#writes,
      (totals?.writes ?? 0) + this.#unshared.writes + this.#writesSending,
    );
    const events = Math.max(this.#events.size, (totals?.events ?? 0) + this.#unshared.events.size);
    const micro =
      users * X_PRICES_MICRO_USD.userRead +
      writes * X_PRICES_MICRO_USD.write +
      events * X_PRICES_MICRO_USD.event;
    return { day: this.#day, billableUsers: users, writes, billableEvents: events, usd: micro / 1_000_000 };
  }

  /** Whether reading `users` more users today stays within the budget (always, without one). */
  canAfford(users: number): boolean {
    if (this.dailyBudgetUsd === undefined) return true;
    // In millionths, as the prices are: in dollars, $0.10 + $0.05 would pass a $0.15 budget.
    const micro = Math.round(this.today().usd * 1_000_000) + users * X_PRICES_MICRO_USD.userRead;
    return micro <= Math.round(this.dailyBudgetUsd * 1_000_000);
  }

  /** Throws when today's estimate has reached the budget. */
  assertReadAllowed(endpoint: string): void {
    if (this.dailyBudgetUsd === undefined) return;
    const spent = this.today().usd;
    if (spent >= this.dailyBudgetUsd) {
      throw new XBudgetExceededError(
        `today's estimated X spend $${spent.toFixed(2)} has reached X_DAILY_BUDGET_USD ($${this.dailyBudgetUsd})`,
        endpoint,
        nextUtcMidnight(this.clock.now()),
      );
    }
  }

  /** Restores today's figures after a restart, merging anything counted since. */
  async restore(ledger: CostLedger): Promise<void> {
    this.#roll();
    const saved = await ledger.load(this.#day);
    if (!saved) return;
    for (const id of saved.userIds) this.#users.add(id);
    for (const uuid of saved.eventIds ?? []) this.#events.add(uuid);
    this.#writes += saved.writes;
  }

  async persist(ledger: CostLedger): Promise<void> {
    this.#roll();
    await ledger.save(this.#day, {
      userIds: [...this.#users],
      writes: this.#writes,
      eventIds: [...this.#events],
    });
  }
}
