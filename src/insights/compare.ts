/**
 * Set arithmetic on lists read whole, without holding either list in memory: ids are split into
 * partitions (by their last digits), and each partition of one list is held as a set while the
 * other list's chunks stream past it. A partition holds at most about PART_SIZE ids, so memory
 * stays the same however long the lists grow. X's order may shift while a list is read (the same
 * user on two pages): every user is counted once.
 */
import type { ListRead, ListReads } from './list-reads.js';
import type { ResultRecord, Results } from './results.js';
import { partOf, type UserRow } from './user-row.js';

/** Ids held in memory at once, per list, at most (about 5 MB of strings). */
export const PART_SIZE = 50_000;

export interface CompareDeps {
  reads: ListReads;
  results: Results;
  /** Tests make it small to exercise several partitions. */
  partSize?: number;
}

/** The accounts some of whose reads were made with their owner's token: the result is sealed for them. */
const ownersOf = (...reads: ListRead[]) => [
  ...new Set(reads.filter((r) => r.byOwner).map((r) => r.accountId)),
];

const partsFor = (deps: CompareDeps, ...reads: ListRead[]) =>
  Math.max(1, Math.ceil(Math.max(...reads.map((r) => r.users)) / (deps.partSize ?? PART_SIZE)));

/** Each distinct user of the read in partition `part`, in X's order within it. */
async function* distinctIn(deps: CompareDeps, read: ListRead, part: number, parts: number) {
  const seen = new Set<string>();
  for await (const chunk of deps.reads.chunks(read)) {
    for (const row of chunk) {
      if (partOf(row[0], parts) !== part || seen.has(row[0])) continue;
      seen.add(row[0]);
      yield row;
    }
  }
}

/** Every distinct user of a read, for an export: one partition after another. */
export async function* distinctRows(deps: CompareDeps, read: ListRead): AsyncGenerator<UserRow[]> {
  const parts = partsFor(deps, read);
  for (let part = 0; part < parts; part++) {
    let batch: UserRow[] = [];
    for await (const row of distinctIn(deps, read, part, parts)) {
      batch.push(row);
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
}

/**
 * Mutuals (in both lists), not following back (they follow the account, it does not follow them)
 * and fans (the account follows them, they do not follow it).
 */
export async function relationships(
  deps: CompareDeps,
  key: string,
  followers: ListRead,
  following: ListRead,
): Promise<ResultRecord> {
  const day = followers.day;
  const byOwner = ownersOf(followers, following);
  const sealed = byOwner.length > 0;
  await deps.results.index(key, day, byOwner);
  const mutuals = deps.results.writer(key, day, 'mutuals', sealed);
  const notBack = deps.results.writer(key, day, 'not-following-back', sealed);
  const fans = deps.results.writer(key, day, 'fans', sealed);
  const parts = partsFor(deps, followers, following);
  for (let part = 0; part < parts; part++) {
    const follows = new Set<string>();
    for await (const row of distinctIn(deps, following, part, parts)) follows.add(row[0]);
    const followedBy = new Set<string>();
    for await (const row of distinctIn(deps, followers, part, parts)) {
      followedBy.add(row[0]);
      await (follows.has(row[0]) ? mutuals : notBack).add(row);
    }
    follows.clear();
    for await (const row of distinctIn(deps, following, part, parts))
      if (!followedBy.has(row[0])) await fans.add(row);
  }
  for (const writer of [mutuals, notBack, fans]) await writer.flush();
  const record: ResultRecord = {
    key,
    day,
    counts: { mutuals: mutuals.count, 'not-following-back': notBack.count, fans: fans.count },
    ...(sealed ? { byOwner } : {}),
  };
  await deps.results.save(record);
  return record;
}

/** Followers two accounts share, and how many distinct followers each has. */
export async function overlap(
  deps: CompareDeps,
  key: string,
  a: ListRead,
  b: ListRead,
): Promise<ResultRecord> {
  const byOwner = ownersOf(a, b);
  await deps.results.index(key, a.day, byOwner);
  const shared = deps.results.writer(key, a.day, 'shared', byOwner.length > 0);
  const parts = partsFor(deps, a, b);
  let inA = 0;
  let inB = 0;
  for (let part = 0; part < parts; part++) {
    const ofB = new Set<string>();
    for await (const row of distinctIn(deps, b, part, parts)) ofB.add(row[0]);
    inB += ofB.size;
    for await (const row of distinctIn(deps, a, part, parts)) {
      inA += 1;
      if (ofB.has(row[0])) await shared.add(row);
    }
  }
  await shared.flush();
  const record: ResultRecord = {
    key,
    day: a.day,
    counts: { shared: shared.count, accounts: { [a.accountId]: inA, [b.accountId]: inB } },
    ...(byOwner.length ? { byOwner } : {}),
  };
  await deps.results.save(record);
  return record;
}
