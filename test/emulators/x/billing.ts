/**
 * X's pay-per-use meter: each user object a read returns is billed once per UTC day in its kind
 * of read however often it comes back; each write request is billed; each Activity API event
 * delivered is billed once per UTC day by its event_uuid, however often it is delivered
 * (repeats, backfill, a second connection). Prices from the reference.
 */

/**
 * Kinds of read X prices apart: full-price user reads, owned reads (the app owner's own
 * followers/following with its own token), block reads and mute reads. The reference does not
 * say a user billed in one kind is free in another the same day, so each kind de-duplicates alone.
 */
export type ReadKind = 'user' | 'owned' | 'block' | 'mute';
export type WriteKind = 'follow' | 'mute' | 'unmute';

const READ_MICRO_USD: Record<ReadKind, number> = { user: 10_000, owned: 1_000, block: 1_000, mute: 1_000 };
const WRITE_MICRO_USD: Record<WriteKind, number> = {
  follow: 15_000,
  // The reference names no "Mute: Create" price: priced as a follow write.
  mute: 15_000,
  unmute: 5_000,
};
const EVENT_MICRO_USD = 10_000;
const READ_KINDS = Object.keys(READ_MICRO_USD) as ReadKind[];
const WRITE_KINDS = Object.keys(WRITE_MICRO_USD) as WriteKind[];

interface DayRecord {
  reads: Record<ReadKind, Set<string>>;
  writes: Record<WriteKind, number>;
  events: Set<string>;
}

const emptyDay = (): DayRecord => ({
  reads: Object.fromEntries(READ_KINDS.map((k) => [k, new Set<string>()])) as DayRecord['reads'],
  writes: Object.fromEntries(WRITE_KINDS.map((k) => [k, 0])) as DayRecord['writes'],
  events: new Set<string>(),
});

export class BillingMeter {
  readonly #days = new Map<string, DayRecord>();
  /** Every user returned, before de-duplication: what a careless client would think it pays. */
  usersReturned = 0;
  /** Every event delivered, before de-duplication. */
  eventsDelivered = 0;

  constructor(private readonly now: () => number) {}

  #today(): DayRecord {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const record = this.#days.get(day) ?? emptyDay();
    this.#days.set(day, record);
    return record;
  }

  read(ids: string[], kind: ReadKind = 'user'): void {
    const today = this.#today();
    this.usersReturned += ids.length;
    for (const id of ids) today.reads[kind].add(id);
  }

  write(kind: WriteKind = 'follow'): void {
    this.#today().writes[kind] += 1;
  }

  events(uuids: string[]): void {
    const today = this.#today();
    this.eventsDelivered += uuids.length;
    for (const uuid of uuids) today.events.add(uuid);
  }

  /** Billed users, writes and events for a UTC day (`YYYY-MM-DD`), today by default, and their price. */
  day(day = new Date(this.now()).toISOString().slice(0, 10)) {
    const record = this.#days.get(day) ?? emptyDay();
    const readsByKind = Object.fromEntries(READ_KINDS.map((k) => [k, record.reads[k].size])) as Record<
      ReadKind,
      number
    >;
    const writesByKind = { ...record.writes };
    let micro = record.events.size * EVENT_MICRO_USD;
    for (const kind of READ_KINDS) micro += readsByKind[kind] * READ_MICRO_USD[kind];
    for (const kind of WRITE_KINDS) micro += writesByKind[kind] * WRITE_MICRO_USD[kind];
    return {
      day,
      billableUsers: READ_KINDS.reduce((n, k) => n + readsByKind[k], 0),
      writes: WRITE_KINDS.reduce((n, k) => n + writesByKind[k], 0),
      billableEvents: record.events.size,
      usd: micro / 1_000_000,
      readsByKind,
      writesByKind,
    };
  }
}
