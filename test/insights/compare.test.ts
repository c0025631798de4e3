/**
 * The comparisons, a partition at a time: whatever the partition size, the same sets; a user X
 * returned on two pages (its order shifted mid-read) counted once; and CSV cells a spreadsheet
 * would run as formulas written inert.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalLocks } from '../../src/coordination/locks.js';
import { distinctRows, overlap, relationships } from '../../src/insights/compare.js';
import { csvLine, safeCell } from '../../src/insights/csv-files.js';
import { type ListRead, ListReads } from '../../src/insights/list-reads.js';
import { Results } from '../../src/insights/results.js';
import { toRow } from '../../src/insights/user-row.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ManualClock } from '../support/manual-clock.js';

let store: Store;
let reads: ListReads;
let results: Results;
const clock = new ManualClock();

beforeEach(async () => {
  store = await openStore('sqlite://:memory:');
  reads = new ListReads(store, clock, randomBytes(32));
  results = new Results(store, clock, randomBytes(32), new LocalLocks());
});
afterEach(() => store.close());

const user = (n: number) => toRow({ id: String(1_000_000 + n), username: `u${n}`, name: `U ${n}` });

/** A list read whole, stored in pages of `page` users. */
async function stored(
  list: 'followers' | 'following',
  accountId: string,
  ns: number[],
  page = 7,
): Promise<ListRead> {
  let read = await reads.current(list, accountId);
  for (let i = 0; i < ns.length; i += page) {
    const last = i + page >= ns.length;
    read = await reads.addPage(read, ns.slice(i, i + page).map(user), last ? undefined : `token-${i}`);
  }
  return read;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const idsOf = async (key: string, list: 'mutuals' | 'not-following-back' | 'fans' | 'shared') =>
  (await results.slice(key, list, 0, 10_000)).map((r) => r[0]).sort();
const expected = (ns: number[]) => ns.map((n) => String(1_000_000 + n)).sort();

describe('comparisons', () => {
  it.each([1, 3, 50_000])('give the same sets with partitions of %i ids', async (partSize) => {
    // Followers 0–59, following 40–89: mutuals 40–59. Follower 5 shows up twice (X's order shifted).
    const followers = await stored('followers', '1', [...range(0, 60), 5]);
    const following = await stored('following', '1', range(40, 90));
    const record = await relationships({ reads, results, partSize }, `r${partSize}`, followers, following);
    expect(record.counts).toEqual({ mutuals: 20, 'not-following-back': 40, fans: 30 });
    expect(await idsOf(`r${partSize}`, 'mutuals')).toEqual(expected(range(40, 60)));
    expect(await idsOf(`r${partSize}`, 'not-following-back')).toEqual(expected(range(0, 40)));
    expect(await idsOf(`r${partSize}`, 'fans')).toEqual(expected(range(60, 90)));

    const other = await stored('followers', '2', [...range(50, 75), 74]);
    const shared = await overlap({ reads, results, partSize }, `o${partSize}`, followers, other);
    expect(shared.counts).toEqual({ shared: 10, accounts: { '1': 60, '2': 25 } });
    expect(await idsOf(`o${partSize}`, 'shared')).toEqual(expected(range(50, 60)));

    const rows: string[] = [];
    for await (const chunk of distinctRows({ reads, results, partSize }, followers))
      rows.push(...chunk.map((r) => r[0]));
    expect(rows.sort()).toEqual(expected(range(0, 60)));
  });
});

describe('CSV cells', () => {
  it('neutralise what a spreadsheet would run, and quote what CSV needs quoted', () => {
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(safeCell(formula)).toBe(`'${formula}`);
    expect(safeCell('plain = text')).toBe('plain = text');
    expect(safeCell(42)).toBe('42');
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', '=x'])).toBe('"a,b","say ""hi""","two\nlines",\'=x\r\n');
  });
});
