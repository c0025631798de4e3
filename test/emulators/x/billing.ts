/**
 * X's pay-per-use meter: each user object a read returns is billed once per UTC day however
 * often it comes back; each follow or unfollow request is billed; each Activity API event
 * delivered is billed once per UTC day by its event_uuid, however often it is delivered
 * (repeats, backfill, a second connection). Prices from the reference.
 */
const READ_MICRO_USD = 10_000;
const WRITE_MICRO_USD = 15_000;
const EVENT_MICRO_USD = 10_000;

interface DayRecord {
  users: Set<string>;
  writes: number;
  events: Set<string>;
}

export class BillingMeter {
  readonly #days = new Map<string, DayRecord>();
  /** Every user returned, before de-duplication: what a careless client would think it pays. */
  usersReturned = 0;
  /** Every event delivered, before de-duplication. */
  eventsDelivered = 0;

  constructor(private readonly now: () => number) {}

  #today(): DayRecord {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const record = this.#days.get(day) ?? { users: new Set<string>(), writes: 0, events: new Set<string>() };
    this.#days.set(day, record);
    return record;
  }

  read(ids: string[]): void {
    const today = this.#today();
    this.usersReturned += ids.length;
    for (const id of ids) today.users.add(id);
  }

  write(): void {
    this.#today().writes += 1;
  }

  events(uuids: string[]): void {
    const today = this.#today();
    this.eventsDelivered += uuids.length;
    for (const uuid of uuids) today.events.add(uuid);
  }

  /** Billed users, writes and events for a UTC day (`YYYY-MM-DD`), today by default, and their price. */
  day(day = new Date(this.now()).toISOString().slice(0, 10)) {
    const record = this.#days.get(day) ?? { users: new Set<string>(), writes: 0, events: new Set<string>() };
    const micro =
      record.users.size * READ_MICRO_USD +
      record.writes * WRITE_MICRO_USD +
      record.events.size * EVENT_MICRO_USD;
    return {
      day,
      billableUsers: record.users.size,
      writes: record.writes,
      billableEvents: record.events.size,
      usd: micro / 1_000_000,
    };
  }
}
