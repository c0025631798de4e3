/**
 * What a comparison found, kept for the UTC day: counts, and each result list as chunks of rows in
 * the store, so that a page of 10 is one small read and no list is ever held whole in memory.
 */
import type { Clock } from '../clock.js';
import type { Locks } from '../coordination/locks.js';
import type { Store } from '../store/open-store.js';
import { ttlOfDay } from './day-records.js';
import type { ResultList } from './requests.js';
import { openRows, type StoredRows, sealRows } from './sealed-rows.js';
import type { UserRow } from './user-row.js';

/** Rows per stored chunk: a page of 10 reads one chunk of this many. */
export const RESULT_CHUNK = 100;

export interface ResultRecord {
  key: string;
  day: string;
  /** Users in each result list, and for an overlap each account's distinct followers (by id). */
  counts: Partial<Record<ResultList, number>> & { accounts?: Record<string, number> };
  /**
   * The X accounts some of whose lists were read with their owner's own token: the rows are
   * sealed, and go when any of those owners unlinks.
   */
  byOwner?: string[];
}

const RESULT_LISTS: readonly ResultList[] = ['mutuals', 'not-following-back', 'fans', 'shared'];

export class Results {
  readonly #records;
  readonly #rows;
  /** Per UTC day and X account, the results computed from its owner's own reads. */
  readonly #byOwner;

  constructor(
    store: Store,
    private readonly clock: Clock,
    /** Seals the rows of results computed from an owner's own reads (TOKEN_ENCRYPTION_KEY). */
    private readonly key: Buffer,
    private readonly locks: Locks,
  ) {
    this.#records = store.namespace<ResultRecord>('insights-results');
    this.#rows = store.namespace<StoredRows>('insights-result-rows');
    this.#byOwner = store.namespace<string[]>('insights-owner-results');
  }

  get(key: string): Promise<ResultRecord | undefined> {
    return this.#records.get(key);
  }

  async save(record: ResultRecord): Promise<void> {
    await this.#records.set(record.key, record, ttlOfDay(record.day, this.clock.now()));
  }

  /**
   * Notes, before any of its rows is written, that the result `key` is computed from these owners'
   * own reads: whatever happens next (a crash, an /unlink meanwhile), their /unlink finds it.
   */
  async index(key: string, day: string, owners: readonly string[]): Promise<void> {
    for (const owner of owners)
      await this.#ownersIndex(day, owner, async (at) => {
        const keys = (await this.#byOwner.get(at)) ?? [];
        if (!keys.includes(key)) await this.#byOwner.set(at, [...keys, key], ttlOfDay(day, this.clock.now()));
      });
  }

  /** A writer of one result list, `RESULT_CHUNK` rows to a chunk, sealed when `sealed`. */
  writer(key: string, day: string, list: ResultList, sealed = false): ResultWriter {
    return new ResultWriter(async (index, rows) => {
      const at = `${key}:${list}:${index}`;
      await this.#rows.set(at, sealRows(this.key, rows, at, sealed), ttlOfDay(day, this.clock.now()));
    });
  }

  /** Deletes the day's results computed from `owner`'s own reads, finished or not. */
  forgetOwners(day: string, owner: string): Promise<number> {
    return this.#ownersIndex(day, owner, async (at) => {
      const keys = (await this.#byOwner.get(at)) ?? [];
      for (const key of keys) {
        await this.#records.delete(key);
        // Every chunk there is: a result still being written (or cut short) has no record to count them.
        for (const list of RESULT_LISTS) {
          let index = 0;
          while (await this.#rows.delete(`${key}:${list}:${index}`)) index += 1;
        }
      }
      await this.#byOwner.delete(at);
      return keys.length;
    });
  }

  /** Runs `work` on one owner's index for one day, alone (read, changed, written back). */
  #ownersIndex<T>(day: string, owner: string, work: (at: string) => Promise<T>): Promise<T> {
    const at = `${day}:${owner}`;
    return this.locks.run(`insights:owner-results:${at}`, () => work(at));
  }

  #chunk = async (at: string): Promise<UserRow[]> => openRows(this.key, await this.#rows.get(at), at);

  /** Rows `from` to `from + count` of a result list. */
  async slice(key: string, list: ResultList, from: number, count: number): Promise<UserRow[]> {
    const out: UserRow[] = [];
    for (let at = from; at < from + count; ) {
      const index = Math.floor(at / RESULT_CHUNK);
      const chunk = await this.#chunk(`${key}:${list}:${index}`);
      if (!chunk.length) break;
      const start = at - index * RESULT_CHUNK;
      out.push(...chunk.slice(start, start + (from + count - at)));
      at = (index + 1) * RESULT_CHUNK;
    }
    return out;
  }

  /** Every row of a result list, a chunk at a time. */
  async *chunks(key: string, list: ResultList, total: number): AsyncGenerator<UserRow[]> {
    for (let index = 0; index * RESULT_CHUNK < total; index++) yield this.#chunk(`${key}:${list}:${index}`);
  }
}

export class ResultWriter {
  #buffer: UserRow[] = [];
  #index = 0;
  count = 0;

  constructor(private readonly flushChunk: (index: number, rows: UserRow[]) => Promise<void>) {}

  async add(row: UserRow): Promise<void> {
    this.#buffer.push(row);
    this.count += 1;
    if (this.#buffer.length >= RESULT_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.#buffer.length) return;
    const rows = this.#buffer;
    this.#buffer = [];
    await this.flushChunk(this.#index++, rows);
  }
}
