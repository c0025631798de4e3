import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { connectSqlite } from '../../src/store/sqlite-connection.js';
import { queryFile } from './sqlite-rows.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flock-connection-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** This process's open descriptors of `file` itself (not its -wal or -shm). */
function descriptorsOf(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // closed since the listing
    }
  }).length;
}

describe('the SQLite connection', () => {
  it('runs a kept statement again with new parameters, and closes with its statements finalized', async () => {
    const db = await connectSqlite(join(dir, 'a.sqlite'), { busyTimeoutMs: 1_000 });
    await db.exec('CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT)');
    for (const [k, v] of [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ])
      await db.query('INSERT INTO t VALUES(?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v', k, v);
    expect(await db.query('SELECT v FROM t WHERE k = ?', 'a')).toEqual([{ v: '3' }]);
    expect(await db.query('SELECT v FROM t WHERE k = ?', 'b')).toEqual([{ v: '2' }]);
    expect(await db.query('SELECT v FROM t WHERE k = ?', 'c')).toEqual([]);
    // SQLite refuses to close a connection with a statement left unfinalized (SQLITE_BUSY).
    await expect(db.close()).resolves.toBeUndefined();
    await expect(db.query('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('answers each query right while far more statements are in use than it keeps', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 });
    // 100 texts, each run 5 times at once: the oldest are let go while others still use them.
    const runs = Array.from({ length: 500 }, (_, i) => {
      const n = i % 100;
      return db.query(`SELECT ? + ${n} AS sum`, i).then((rows) => expect(rows).toEqual([{ sum: i + n }]));
    });
    await Promise.all(runs);
    await expect(db.close()).resolves.toBeUndefined();
  });

  it('writes each of far more texts than it keeps, given all at once, though they wait their turn', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 });
    await db.exec('CREATE TABLE t(n INTEGER)');
    await Promise.all(Array.from({ length: 100 }, (_, i) => db.query(`INSERT INTO t VALUES(? + ${i})`, i)));
    expect(await db.query('SELECT count(*) AS n, sum(n) AS total FROM t')).toEqual([
      { n: 100, total: 9_900 },
    ]);
    await db.close();
  });

  it('takes its parameters one by one or as one array, as Database.all does', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 });
    expect(await db.query('SELECT ? AS a, ? AS b', 1, 'two')).toEqual([{ a: 1, b: 'two' }]);
    // Keyv's iterator pages with LIMIT ? OFFSET ?, its parameters in one array.
    expect(await db.query('SELECT ? AS a LIMIT ? OFFSET ?', ['x', 5, 0])).toEqual([{ a: 'x' }]);
    await db.close();
  });

  it('keeps no statement that did not prepare: the next call gets its own error, the rest work', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 });
    await expect(db.query('SELEC 1')).rejects.toThrow(/syntax error/);
    await expect(db.query('SELEC 1')).rejects.toThrow(/syntax error/);
    expect(await db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await db.close();
  });

  it('is the one connection every namespace of a store file uses, and outside readers still read', async () => {
    const file = join(dir, 'flock.sqlite');
    const store = await openStore(`sqlite://${file}`);
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.namespace<number>(`ns${i}`).set('k', i)));
    expect(await store.namespace<number>('ns7').get('k')).toBe(7);
    // The records' connection and the upkeep's: @keyv/sqlite would open the file once per namespace.
    expect(descriptorsOf(file)).toBe(2);
    const rows = await queryFile<{ n: number }>(file, 'SELECT count(*) AS n FROM keyv');
    expect(rows).toEqual([{ n: 12 }]);
    await store.close();
    expect(descriptorsOf(file)).toBe(0);
  });

  it('checkpoints the log on its own connection, after a burst of writes and after a quiet second', async () => {
    const file = join(dir, 'flock.sqlite');
    const store = await openStore(`sqlite://${file}`);
    const sessions = store.namespace<string>('paging-sessions');
    const empty = statSync(file).size;
    // 600 commits are 600 pages of log: fewer than SQLite's own 1,000, more than Flock's 500.
    for (let i = 0; i < 600; i++) await sessions.set(`s${i}`, 'x'.repeat(300));
    // Rows reach the database file itself only through a checkpoint.
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(empty + 100_000), { timeout: 3_000 });
    const after = statSync(file).size;
    // A few writes, then nothing: checkpointed within about a second all the same.
    for (let i = 0; i < 30; i++) await sessions.set(`late${i}`, 'y'.repeat(3_000));
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(after + 60_000), { timeout: 3_000 });
    await store.close();
  });

  it('lets no write reported stored be rolled back by one that was refused the write lock', async () => {
    const file = join(dir, 'busy.sqlite');
    const db = await connectSqlite(file, { busyTimeoutMs: 50 });
    await db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t(k TEXT PRIMARY KEY)');
    const other = await connectSqlite(file, { busyTimeoutMs: 50 });
    await other.exec('BEGIN IMMEDIATE');
    await expect(db.query('INSERT INTO t VALUES(?)', 'a')).rejects.toThrow(/SQLITE_BUSY/);
    await other.exec('ROLLBACK');
    // A refused statement left as it was would stay a writer: this insert would not commit, and
    // running the refused one again would roll it back.
    await db.query('INSERT INTO t (k) VALUES(?)', 'b');
    expect(await other.query('SELECT k FROM t')).toEqual([{ k: 'b' }]);
    await db.query('INSERT INTO t VALUES(?)', 'c');
    expect(await other.query('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'b' }, { k: 'c' }]);
    await other.close();
    await db.close();
  });

  it('closes while statements it let go are still in use', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 });
      const runs = Array.from({ length: 100 }, (_, i) => db.query(`SELECT ${i} AS n`));
      await expect(db.close()).resolves.toBeUndefined();
      await Promise.allSettled(runs);
    }
  });

  it('keeps the log to a few MB under steady writes', async () => {
    const file = join(dir, 'steady.sqlite');
    const store = await openStore(`sqlite://${file}`);
    const sessions = store.namespace<string>('paging-sessions');
    let next = 0;
    let largest = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < 6_000) {
          await sessions.set(`s${next++}`, 'x'.repeat(300));
          largest = Math.max(largest, statSync(`${file}-wal`).size);
        }
      }),
    );
    // 6,000 commits are some 14,000 pages (57 MB) of log if it is never started over.
    expect(largest).toBeLessThan(20 * 1024 * 1024);
    await store.close();
  });

  it('does not hold up writes while an outside reader keeps the log from starting over', async () => {
    const file = join(dir, 'reader.sqlite');
    const store = await openStore(`sqlite://${file}`);
    const sessions = store.namespace<string>('paging-sessions');
    await sessions.set('first', 'x');
    // An operator's long read (a backup, a query in the sqlite3 shell), holding its snapshot.
    const reader = await connectSqlite(file, { busyTimeoutMs: 1_000 });
    await reader.exec('BEGIN; SELECT count(*) FROM keyv;');
    // Past 1,000 pages of log Flock tries to start it over, which the reader forbids: each try
    // gives up within milliseconds, where the store's busy timeout (10 s) would stall every write.
    for (let i = 0; i < 2_000; i++) await sessions.set(`s${i}`, 'x'.repeat(300));
    expect(await sessions.get('s1999')).toBe('x'.repeat(300));
    await reader.exec('COMMIT');
    await reader.close();
    await store.close();
  }, 8_000);
});
