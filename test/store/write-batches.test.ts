/**
 * WriteBatches on the real SQLite store: writes that arrive together go in one statement, each
 * caller resolves once its own record is stored, and a write SQLite refuses rejects every caller
 * it carried (Keyv would otherwise have reported it as a `false` nobody reads).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type KeyvSqlite from '@keyv/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { WriteBatches } from '../../src/store/write-batches.js';
import { claimRedisDb } from '../support/redis.js';
import { keysInFile } from './sqlite-rows.js';

let dir: string;
let file: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flock-batches-'));
  file = join(dir, 'flock.sqlite');
  store = await openStore(`sqlite://${file}`);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The namespace's SQLite adapter, its statements counted (the adapter is @keyv/sqlite's, not Flock's). */
function counted(name: string) {
  const keyv = store.namespace<{ n: number }>(name);
  const adapter = keyv.store as KeyvSqlite;
  const statements: string[] = [];
  const query = adapter.query;
  adapter.query = (sql: string, ...params: unknown[]) => {
    if (/^\s*INSERT/i.test(sql)) statements.push(sql);
    return query(sql, ...params);
  };
  return { keyv, adapter, statements };
}

describe('write batches', () => {
  it('writes the first record at once and those that arrived meanwhile together, each resolved once stored', async () => {
    const { keyv, statements } = counted('sessions');
    const batches = new WriteBatches(keyv);
    const writes = Array.from({ length: 9 }, (_, n) =>
      batches.set(`s${n}`, { n }, 60_000).then(async () => keyv.get(`s${n}`)),
    );
    // Each read after its own write resolved finds the record.
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 9 }, (_, n) => ({ n })));
    // The first alone, the eight that came while it was on its way in one statement.
    expect(statements).toHaveLength(2);
    expect((await keysInFile(file)).length).toBe(9);
    // One at a time, each is written alone, as before.
    await batches.set('alone', { n: 99 });
    expect(statements).toHaveLength(3);
    expect(await keyv.get('alone')).toEqual({ n: 99 });
  });

  it('keeps the last of two writes of one key in a batch, and the expiry of each record', async () => {
    const { keyv } = counted('sessions');
    const batches = new WriteBatches(keyv);
    await Promise.all([
      batches.set('first', { n: 0 }),
      batches.set('k', { n: 1 }, 60_000),
      batches.set('k', { n: 2 }, 60_000),
      batches.set('short', { n: 3 }, 1),
    ]);
    expect(await keyv.get('k')).toEqual({ n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await keyv.get('short')).toBeUndefined();
  });

  it('rejects every caller of a batch SQLite refused, and goes on with the next', async () => {
    const { keyv, adapter } = counted('sessions');
    const batches = new WriteBatches(keyv);
    await adapter.query('PRAGMA query_only = 1');
    const refused = await Promise.allSettled([
      batches.set('a', { n: 1 }),
      batches.set('b', { n: 2 }),
      batches.set('c', { n: 3 }),
    ]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    await adapter.query('PRAGMA query_only = 0');
    await batches.set('d', { n: 4 });
    expect(await keysInFile(file)).toEqual(['sessions:d']);
  });

  it('leaves a plain set that SQLite refused rejected, not reported as a false nobody reads', async () => {
    const { keyv, adapter } = counted('links');
    await adapter.query('PRAGMA query_only = 1');
    await expect(keyv.set('x', { n: 1 })).rejects.toThrow(/readonly|read-only|query_only|attempt to write/i);
  });
});

describe('write batches on Redis', () => {
  it('writes those that arrived together, each resolved once stored (Redis’s setMany answers nothing)', async () => {
    const db = await claimRedisDb();
    const redis = await openStore(db.url);
    try {
      const keyv = redis.namespace<{ n: number }>('sessions');
      const batches = new WriteBatches(keyv);
      const writes = Array.from({ length: 9 }, (_, n) =>
        batches.set(`s${n}`, { n }, 60_000).then(async () => keyv.get(`s${n}`)),
      );
      expect(await Promise.all(writes)).toEqual(Array.from({ length: 9 }, (_, n) => ({ n })));
    } finally {
      await redis.close();
      await db.release();
    }
  });
});
