/**
 * A small least-recently-used memo in front of the store, for records that do not change once
 * written (a day's page of a list, a profile snapshot with its time): a repeated read then costs
 * no store round trip. The store stays the truth every process shares; this only remembers what
 * this process read or wrote there last, and holds at most `size` records.
 */
export class RecentMemo<T> {
  readonly #entries = new Map<string, T>();

  constructor(private readonly size: number) {}

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: moving the key to the end makes the first key the least recent.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.size) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
