/**
 * CostMeter's shared part: keeps today's spend in step with Redis when several processes bill
 * one budget. It holds what this process recorded that Redis has not yet taken (sent,
 * unanswered, or failed) and the latest totals Redis answered with; the meter's figures are the
 * larger of its own and those totals plus what is still held.
 */
import type { Clock } from '../clock.js';
import { READ_KINDS, type ReadKind, WRITE_KINDS, type WriteKind, zeroCounts } from './prices.js';
import type { SharedSpend, SpendTotals } from './shared-x-state.js';

/** Totals older than this are pulled again when the figures are asked for (without waiting for them). */
const REFRESH_EVERY_MS = 1_000;

/** One day's figures, as counts. */
export interface SpendCounts {
  reads: Record<ReadKind, number>;
  events: number;
  writes: Record<WriteKind, number>;
}

interface Held {
  reads: Record<ReadKind, Set<string>>;
  events: Set<string>;
  writes: Record<WriteKind, number>;
}

const emptyHeld = (): Held => ({
  reads: Object.fromEntries(READ_KINDS.map((kind) => [kind, new Set<string>()])) as Held['reads'],
  events: new Set(),
  writes: zeroCounts(WRITE_KINDS),
});

export class SpendSync {
  #held = emptyHeld();
  /**
   * Writes taken out of `#held` by a call still waiting for its answer: a counter, unlike a
   * set, must not be sent twice.
   */
  #writesSending = zeroCounts(WRITE_KINDS);
  #totals: (SpendTotals & { at: number }) | undefined;
  #refreshing = false;

  /** `today` rolls the meter to the current UTC day and names it. */
  constructor(
    private readonly shared: SharedSpend,
    private readonly clock: Clock,
    private readonly today: () => string,
  ) {}

  /** The meter moved to a new UTC day: what the last one held is dropped. */
  newDay(): void {
    this.#held = emptyHeld();
  }

  holdRead(kind: ReadKind, id: string): void {
    this.#held.reads[kind].add(id);
  }

  holdEvent(uuid: string): void {
    this.#held.events.add(uuid);
  }

  holdWrite(kind: WriteKind): void {
    this.#held.writes[kind] += 1;
  }

  /**
   * Sends everything held, counting which of `users` (read as `kind`) were new to every process;
   * keeps the totals Redis answers with. Rejects when Redis fails (what was held stays held).
   */
  async send(kind: ReadKind, users: readonly string[]): Promise<number> {
    const day = this.today();
    const held = this.#held;
    const counted = new Set(users);
    const writes = { ...held.writes };
    for (const write of WRITE_KINDS) {
      held.writes[write] = 0;
      this.#writesSending[write] += writes[write];
    }
    const moreUsers = Object.fromEntries(
      READ_KINDS.map((k) => [k, [...held.reads[k]].filter((id) => k !== kind || !counted.has(id))]),
    ) as Record<ReadKind, string[]>;
    const events = [...held.events];
    try {
      const answer = await this.shared.record(day, { kind, users, moreUsers, events, writes });
      for (const id of users) held.reads[kind].delete(id);
      for (const k of READ_KINDS) for (const id of moreUsers[k]) held.reads[k].delete(id);
      for (const id of events) held.events.delete(id);
      this.#keep(answer.totals);
      return answer.newUsers;
    } catch (error) {
      for (const write of WRITE_KINDS) held.writes[write] += writes[write];
      throw error;
    } finally {
      for (const write of WRITE_KINDS) this.#writesSending[write] -= writes[write];
    }
  }

  /** Totals only grow within a day, so the larger of two answers is the later one, however they arrived. */
  #keep(totals: SpendTotals): void {
    if (totals.day !== this.today()) return;
    const known = this.#totals?.day === totals.day ? this.#totals : undefined;
    this.#totals = {
      day: totals.day,
      reads: larger(READ_KINDS, totals.reads, known?.reads),
      events: Math.max(totals.events, known?.events ?? 0),
      writes: larger(WRITE_KINDS, totals.writes, known?.writes),
      at: this.clock.now(),
    };
  }

  /** Every process's figures as far as Redis last said, or this process's own where they are larger. */
  combine(own: SpendCounts): SpendCounts {
    const day = this.today();
    this.#refreshSoon(day);
    const totals = this.#totals?.day === day ? this.#totals : undefined;
    const held = this.#held;
    const reads = zeroCounts(READ_KINDS);
    for (const kind of READ_KINDS)
      reads[kind] = Math.max(own.reads[kind], (totals?.reads[kind] ?? 0) + held.reads[kind].size);
    const writes = zeroCounts(WRITE_KINDS);
    for (const kind of WRITE_KINDS) {
      const pending = held.writes[kind] + this.#writesSending[kind];
      writes[kind] = Math.max(own.writes[kind], (totals?.writes[kind] ?? 0) + pending);
    }
    const events = Math.max(own.events, (totals?.events ?? 0) + held.events.size);
    return { reads, events, writes };
  }

  /** Pulls fresh totals in the background when the last are over a second old. */
  #refreshSoon(day: string): void {
    if (this.#refreshing) return;
    const totals = this.#totals;
    if (totals?.day === day && this.clock.now() - totals.at < REFRESH_EVERY_MS) return;
    this.#refreshing = true;
    // Failures are left to the calls that await `share` (every read does, and logs them).
    void this.send('user', [])
      .catch(() => undefined)
      .finally(() => {
        this.#refreshing = false;
      });
  }
}

function larger<K extends string>(
  kinds: readonly K[],
  a: Record<K, number>,
  b: Record<K, number> | undefined,
): Record<K, number> {
  return Object.fromEntries(kinds.map((k) => [k, Math.max(a[k], b?.[k] ?? 0)])) as Record<K, number>;
}
