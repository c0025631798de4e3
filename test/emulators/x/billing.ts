/**
 * X's pay-per-use meter: each user object a read returns is billed once per UTC day however
 * often it comes back; each follow or unfollow request is billed. Prices from the reference.
 */
const READ_MICRO_USD = 10_000;
const WRITE_MICRO_USD = 15_000;

export class BillingMeter {
  readonly #days = new Map<string, { users: Set<string>; writes: number }>();
  /** Every user returned, before de-duplication: what a careless client would think it pays. */
  usersReturned = 0;

  constructor(private readonly now: () => number) {}

  #today() {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const record = this.#days.get(day) ?? { users: new Set<string>(), writes: 0 };
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

  /** Billed users and writes for a UTC day (`YYYY-MM-DD`), today by default, and their price. */
  day(day = new Date(this.now()).toISOString().slice(0, 10)) {
    const record = this.#days.get(day) ?? { users: new Set<string>(), writes: 0 };
    const micro = record.users.size * READ_MICRO_USD + record.writes * WRITE_MICRO_USD;
    return { day, billableUsers: record.users.size, writes: record.writes, usd: micro / 1_000_000 };
  }
}
