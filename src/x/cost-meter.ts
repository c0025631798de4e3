/**
 * An estimate of what Flock's X usage costs today, counted the way X bills: each user object a
 * read returns is billed once per UTC day however often it comes back, each follow or
 * unfollow is billed per request, and each Activity API event is billed once per UTC day by
 * its event_uuid (whoever receives the stream records what it delivered). Once
 * X_DAILY_BUDGET_USD is reached, reads are refused before they are sent until the next UTC day.
 */
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import { XBudgetExceededError } from './errors.js';

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

export class CostMeter {
  #day: string;
  #users = new Set<string>();
  #writes = 0;
  #events = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly dailyBudgetUsd?: number,
  ) {
    this.#day = utcDay(clock.now());
  }

  #roll(): void {
    const day = utcDay(this.clock.now());
    if (day !== this.#day) {
      this.#day = day;
      this.#users = new Set();
      this.#writes = 0;
      this.#events = new Set();
    }
  }

  /** Counts the users a read returned; returns how many were newly billable today, and adds them to `tally`. */
  recordUsers(ids: Iterable<string>, tally?: SpendTally): number {
    this.#roll();
    const before = this.#users.size;
    for (const id of ids) this.#users.add(id);
    const added = this.#users.size - before;
    if (tally) tally.users += added;
    return added;
  }

  /**
   * Counts Activity API events delivered, by event_uuid; returns how many were newly billable
   * today, and adds them to `tally`.
   */
  recordEvents(uuids: Iterable<string>, tally?: SpendTally): number {
    this.#roll();
    const before = this.#events.size;
    for (const uuid of uuids) this.#events.add(uuid);
    const added = this.#events.size - before;
    if (tally) tally.events += added;
    return added;
  }

  recordWrite(): void {
    this.#roll();
    this.#writes += 1;
  }

  today(): DaySpend {
    this.#roll();
    const micro =
      this.#users.size * X_PRICES_MICRO_USD.userRead +
      this.#writes * X_PRICES_MICRO_USD.write +
      this.#events.size * X_PRICES_MICRO_USD.event;
    return {
      day: this.#day,
      billableUsers: this.#users.size,
      writes: this.#writes,
      billableEvents: this.#events.size,
      usd: micro / 1_000_000,
    };
  }

  /** Whether reading `users` more users today stays within the budget (always, without one). */
  canAfford(users: number): boolean {
    if (this.dailyBudgetUsd === undefined) return true;
    return this.today().usd + (users * X_PRICES_MICRO_USD.userRead) / 1_000_000 <= this.dailyBudgetUsd;
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
