/**
 * What a comparison found, kept for the UTC day: counts, and each result list as chunks of rows in
 * the store, so that a page of 10 is one small read and no list is ever held whole in memory.
 */
import type { Clock } from '../clock.js';
import type { Store } from '../store/open-store.js';
import { ttlOfDay } from './day-records.js';
import type { ResultList } from './requests.js';
import type { UserRow } from './user-row.js';

/** Rows per stored chunk: a page of 10 reads one chunk of this many. */
export const RESULT_CHUNK = 100;

export interface ResultRecord {
  key: string;
  day: string;
  /** Users in each result list, and for an overlap each account's distinct followers (by id). */
  counts: Partial<Record<ResultList, number>> & { accounts?: Record<string, number> };
}

export class Results {
  readonly #records;
  readonly #rows;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.#records = store.namespace<ResultRecord>('insights-results');
    this.#rows = store.namespace<UserRow[]>('insights-result-rows');
  }

  get(key: string): Promise<ResultRecord | undefined> {
    return this.#records.get(key);
  }

  async save(record: ResultRecord): Promise<void> {
    await this.#records.set(record.key, record, ttlOfDay(record.day, this.clock.now()));
  }

  /** A writer of one result list, `RESULT_CHUNK` rows to a chunk. */
  writer(key: string, day: string, list: ResultList): ResultWriter {
    return new ResultWriter(async (index, rows) => {
      await this.#rows.set(`${key}:${list}:${index}`, rows, ttlOfDay(day, this.clock.now()));
    });
  }

  /** Rows `from` to `from + count` of a result list. */
  async slice(key: string, list: ResultList, from: number, count: number): Promise<UserRow[]> {
    const out: UserRow[] = [];
    for (let at = from; at < from + count; ) {
      const index = Math.floor(at / RESULT_CHUNK);
      const chunk = await this.#rows.get(`${key}:${list}:${index}`);
      if (!chunk?.length) break;
      const start = at - index * RESULT_CHUNK;
      out.push(...chunk.slice(start, start + (from + count - at)));
      at = (index + 1) * RESULT_CHUNK;
    }
    return out;
  }

  /** Every row of a result list, a chunk at a time. */
  async *chunks(key: string, list: ResultList, total: number): AsyncGenerator<UserRow[]> {
    for (let index = 0; index * RESULT_CHUNK < total; index++)
      yield (await this.#rows.get(`${key}:${list}:${index}`)) ?? [];
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
