/**
 * An estimate of what Flock's X usage costs today, counted the way X bills: each user object a
 * read returns is billed once per UTC day in its kind of read however often it comes back
 * (prices.ts), each write is billed per request, and each Activity API event is billed once per
 * UTC day by its event_uuid (whoever receives the stream records what it delivered). Once
 * X_DAILY_BUDGET_USD is reached, reads are refused before they are sent until the next UTC day.
 *
 * With a shared part (several processes on one Redis), the day's figures are every process's:
 * what this one records goes to Redis (at once through `recordReadsShared`, else at the next
 * `share`), and `today()` is the last totals Redis gave plus what it has not yet taken
 * (spend-sync.ts). While Redis is away, what could not be shared is kept and sent with the next
 * call that gets through.
 */
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import { XBudgetExceededError } from './errors.js';
import {
  READ_KINDS,
  READ_PRICE_MICRO_USD,
  type ReadKind,
  WRITE_KINDS,
  WRITE_PRICE_MICRO_USD,
  type WriteKind,
  X_PRICES_MICRO_USD,
  zeroCounts,
} from './prices.js';
import type { SharedSpend } from './shared-x-state.js';
import { type SpendCounts, SpendSync } from './spend-sync.js';

export { X_PRICES_MICRO_USD } from './prices.js';

/**
 * What some calls cost, for a caller that wants the spend of its own work (one account's check)
 * rather than the day's: each call or record given it adds what it made newly billable today.
 */
export interface SpendTally {
  /**
   * Users newly billable, in whatever kind of read the calls made: one already billed today in
   * that kind adds nothing, as X bills once per UTC day.
   */
  users: number;
  /** Activity API events newly billable, by event_uuid. */
  events: number;
}

export interface DaySpend {
  day: string;
  /** Users billed today, every kind of read together (each kind de-duplicated on its own). */
  billableUsers: number;
  /** Write requests billed today, every kind together. */
  writes: number;
  billableEvents: number;
  usd: number;
  readsByKind: Record<ReadKind, number>;
  writesByKind: Record<WriteKind, number>;
}

/** A place to keep today's figures across restarts; Flock passes one backed by its store. */
export interface CostLedger {
  load(day: string): Promise<LedgerRecord | undefined>;
  save(day: string, record: LedgerRecord): Promise<void>;
}

export interface LedgerRecord {
  /** Users billed at the full read price (kind `user`). */
  userIds: string[];
  /** Follow and unfollow requests. */
  writes: number;
  /** Absent in records saved before events were billed. */
  eventIds?: string[];
  /** Users billed in the other kinds of read; absent in records saved before they were priced apart. */
  readIds?: Partial<Record<ReadKind, string[]>>;
  /** Mute and unmute requests; absent in older records. */
  writesByKind?: Partial<Record<WriteKind, number>>;
}

type ReadSets = Record<ReadKind, Set<string>>;

const readSets = (): ReadSets =>
  Object.fromEntries(READ_KINDS.map((kind) => [kind, new Set<string>()])) as ReadSets;
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

export class CostMeter {
  #day: string;
  #reads = readSets();
  #writes = zeroCounts(WRITE_KINDS);
  #events = new Set<string>();
  /**
   * What reads in flight may still cost, in millionths: held from the check before a large read
   * until its users are recorded, so reads checked at once cannot each take the same room.
   */
  #reservedMicro = 0;
  readonly #sync: SpendSync | undefined;

  /** `options.shared`: today's spend of every process on one Redis (createSharedXState). */
  constructor(
    private readonly clock: Clock,
    private readonly dailyBudgetUsd?: number,
    options: { shared?: SharedSpend } = {},
  ) {
    this.#day = utcDay(clock.now());
    this.#sync = options.shared && new SpendSync(options.shared, clock, () => this.#roll());
  }

  /** Whether the figures are shared with other processes: `share` and `recordReadsShared` then matter. */
  get isShared(): boolean {
    return this.#sync !== undefined;
  }

  /** Moves to the current UTC day, forgetting the last; returns it. */
  #roll(): string {
    const day = utcDay(this.clock.now());
    if (day !== this.#day) {
      this.#day = day;
      this.#reads = readSets();
      this.#writes = zeroCounts(WRITE_KINDS);
      this.#events = new Set();
      this.#sync?.newDay();
    }
    return day;
  }

  /** Adds to today's reads of a kind; returns the ones it did not hold, held for Redis too when shared. */
  #addReads(kind: ReadKind, ids: Iterable<string>): string[] {
    this.#roll();
    const set = this.#reads[kind];
    const fresh: string[] = [];
    for (const id of ids) {
      if (set.has(id)) continue;
      set.add(id);
      fresh.push(id);
      this.#sync?.holdRead(kind, id);
    }
    return fresh;
  }

  /** `recordReads` for full-price reads (followers, following, lookups). */
  recordUsers(ids: Iterable<string>, tally?: SpendTally): number {
    return this.recordReads('user', ids, tally);
  }

  /**
   * Counts the users a read of `kind` returned; returns how many were newly billable today, and
   * adds them to `tally`. Shared: as this process knows it; `recordReadsShared` asks every process.
   */
  recordReads(kind: ReadKind, ids: Iterable<string>, tally?: SpendTally): number {
    const added = this.#addReads(kind, ids).length;
    if (tally) tally.users += added;
    return added;
  }

  /** `recordReadsShared` for full-price reads. */
  recordUsersShared(ids: Iterable<string>, tally?: SpendTally): Promise<number> {
    return this.recordReadsShared('user', ids, tally);
  }

  /**
   * As `recordReads`, with "newly billable" answered by Redis for every process. Rejects when
   * Redis fails, once the users are counted here (and in `tally`) as this process knows them.
   */
  async recordReadsShared(kind: ReadKind, ids: Iterable<string>, tally?: SpendTally): Promise<number> {
    const fresh = this.#addReads(kind, ids);
    // Users this process billed today were billed once already, whichever process told Redis.
    if (!this.#sync || fresh.length === 0) {
      if (tally) tally.users += fresh.length;
      return fresh.length;
    }
    let added = fresh.length;
    try {
      added = await this.#sync.send(kind, fresh);
      return added;
    } finally {
      if (tally) tally.users += added;
    }
  }

  /**
   * How many of `ids` were billed today in a kind of read, as this process knows it (shared,
   * other processes' reads are not counted: an estimate built on it errs high).
   */
  billedToday(kind: ReadKind, ids: Iterable<string>): number {
    this.#roll();
    let billed = 0;
    for (const id of new Set(ids)) if (this.#reads[kind].has(id)) billed += 1;
    return billed;
  }

  /**
   * Counts Activity API events delivered, by event_uuid; returns how many were newly billable
   * today, and adds them to `tally`. Shared: as this process knows it (one process holds the
   * stream); Redis hears of them at the next `share`.
   */
  recordEvents(uuids: Iterable<string>, tally?: SpendTally): number {
    this.#roll();
    let added = 0;
    for (const uuid of uuids) {
      if (this.#events.has(uuid)) continue;
      this.#events.add(uuid);
      this.#sync?.holdEvent(uuid);
      added += 1;
    }
    if (tally) tally.events += added;
    return added;
  }

  /** A write request X answered (follow and unfollow unless said). Shared: Redis hears of it at the next `share`. */
  recordWrite(kind: WriteKind = 'follow'): void {
    this.#roll();
    this.#writes[kind] += 1;
    this.#sync?.holdWrite(kind);
  }

  /**
   * Sends Redis what it has not yet taken and keeps the day's totals it answers with; nothing
   * without a shared part. Rejects when Redis fails (what was not sent is kept for next time).
   */
  async share(): Promise<void> {
    await this.#sync?.send('user', []);
  }

  /** Today's figures: this process's own, or, shared, every process's as far as Redis last said. */
  today(): DaySpend {
    const day = this.#roll();
    const own: SpendCounts = {
      reads: Object.fromEntries(READ_KINDS.map((k) => [k, this.#reads[k].size])) as Record<ReadKind, number>,
      events: this.#events.size,
      writes: { ...this.#writes },
    };
    const { reads, events, writes } = this.#sync ? this.#sync.combine(own) : own;
    let micro = events * X_PRICES_MICRO_USD.event;
    for (const kind of READ_KINDS) micro += reads[kind] * READ_PRICE_MICRO_USD[kind];
    for (const kind of WRITE_KINDS) micro += writes[kind] * WRITE_PRICE_MICRO_USD[kind];
    return {
      day,
      billableUsers: sum(reads),
      writes: sum(writes),
      billableEvents: events,
      usd: micro / 1_000_000,
      readsByKind: reads,
      writesByKind: writes,
    };
  }

  /**
   * Whether reading `users` more users of `kind` today stays within the budget (always, without
   * one), beside what reserved reads may still cost.
   */
  canAfford(users: number, kind: ReadKind = 'user'): boolean {
    if (this.dailyBudgetUsd === undefined) return true;
    // In millionths, as the prices are: in dollars, $0.10 + $0.05 would pass a $0.15 budget.
    const micro =
      Math.round(this.today().usd * 1_000_000) + this.#reservedMicro + users * READ_PRICE_MICRO_USD[kind];
    return micro <= Math.round(this.dailyBudgetUsd * 1_000_000);
  }

  /**
   * Holds room in today's budget for reading up to `most` users of `kind`, or as many as there is
   * room for, but never fewer than `least`: the users held count against the budget until the
   * returned release is called (once the read's users are recorded, or it failed). Undefined,
   * holding nothing, when not even `least` fit. Room is held in this process only.
   */
  reserve(
    least: number,
    most: number,
    kind: ReadKind = 'user',
  ): { users: number; release: () => void } | undefined {
    const price = READ_PRICE_MICRO_USD[kind];
    let users = most;
    if (this.dailyBudgetUsd !== undefined) {
      const room =
        Math.round(this.dailyBudgetUsd * 1_000_000) -
        Math.round(this.today().usd * 1_000_000) -
        this.#reservedMicro;
      users = Math.min(most, Math.floor(room / price));
      if (users < least) return undefined;
    }
    const micro = this.dailyBudgetUsd === undefined ? 0 : users * price;
    this.#reservedMicro += micro;
    let held = true;
    return {
      users,
      release: () => {
        if (!held) return;
        held = false;
        this.#reservedMicro -= micro;
      },
    };
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
    const saved = await ledger.load(this.#roll());
    if (!saved) return;
    for (const id of saved.userIds) this.#reads.user.add(id);
    for (const kind of READ_KINDS)
      if (kind !== 'user') for (const id of saved.readIds?.[kind] ?? []) this.#reads[kind].add(id);
    for (const uuid of saved.eventIds ?? []) this.#events.add(uuid);
    this.#writes.follow += saved.writes;
    for (const kind of WRITE_KINDS)
      if (kind !== 'follow') this.#writes[kind] += saved.writesByKind?.[kind] ?? 0;
  }

  async persist(ledger: CostLedger): Promise<void> {
    const day = this.#roll();
    const { user, ...others } = this.#reads;
    const { follow, ...otherWrites } = this.#writes;
    await ledger.save(day, {
      userIds: [...user],
      writes: follow,
      eventIds: [...this.#events],
      readIds: Object.fromEntries(Object.entries(others).map(([kind, ids]) => [kind, [...ids]])),
      writesByKind: otherWrites,
    });
  }
}
