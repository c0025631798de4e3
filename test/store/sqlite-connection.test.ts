import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { connectSqlite, sqliteLibraries } from '../../src/store/sqlite-connection.js';
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

describe.each(sqliteLibraries())('a SQLite connection through %s', (library) => {
  it('runs a kept statement again with new parameters, and closes with its statements finalized', async () => {
    const db = await connectSqlite(join(dir, 'a.sqlite'), { busyTimeoutMs: 1_000 }, library);
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
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 }, library);
    // 100 texts, each run 5 times at once: the oldest are let go while others still use them.
    const runs = Array.from({ length: 500 }, (_, i) => {
      const n = i % 100;
      return db.query(`SELECT ? + ${n} AS sum`, i).then((rows) => expect(rows).toEqual([{ sum: i + n }]));
    });
    await Promise.all(runs);
    await expect(db.close()).resolves.toBeUndefined();
  });

  it('writes each of far more texts than it keeps, given all at once, though they wait their turn', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 }, library);
    await db.exec('CREATE TABLE t(n INTEGER)');
    await Promise.all(Array.from({ length: 100 }, (_, i) => db.query(`INSERT INTO t VALUES(? + ${i})`, i)));
    expect(await db.query('SELECT count(*) AS n, sum(n) AS total FROM t')).toEqual([
      { n: 100, total: 9_900 },
    ]);
    await db.close();
  });

  it('takes its parameters one by one or as one array, as Database.all does', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 }, library);
    expect(await db.query('SELECT ? AS a, ? AS b', 1, 'two')).toEqual([{ a: 1, b: 'two' }]);
    // Keyv's iterator pages with LIMIT ? OFFSET ?, its parameters in one array.
    expect(await db.query('SELECT ? AS a LIMIT ? OFFSET ?', ['x', 5, 0])).toEqual([{ a: 'x' }]);
    // A whole number is an INTEGER, as node-sqlite3 binds it (node:sqlite alone binds a REAL).
    expect(await db.query('SELECT typeof(?) AS a, typeof(?) AS b, ? || ? AS c', 5, 2.5, 5, null)).toEqual([
      { a: 'integer', b: 'real', c: null },
    ]);
    expect(await db.query("SELECT ? || '' AS a, ? AS b, ? AS c", 5, undefined, true)).toEqual([
      { a: '5', b: null, c: 1 },
    ]);
    await db.close();
  });

  it('keeps no statement that did not prepare: the next call gets its own error, the rest work', async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 }, library);
    await expect(db.query('SELEC 1')).rejects.toThrow(/syntax error/);
    await expect(db.query('SELEC 1')).rejects.toThrow(/syntax error/);
    expect(await db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await db.close();
  });

  it('lets no write reported stored be rolled back by one that was refused the write lock', async () => {
    const file = join(dir, 'busy.sqlite');
    const db = await connectSqlite(file, { busyTimeoutMs: 50 }, library);
    await db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t(k TEXT PRIMARY KEY)');
    const other = await connectSqlite(file, { busyTimeoutMs: 50 }, library);
    await other.exec('BEGIN IMMEDIATE');
    await expect(db.query('INSERT INTO t VALUES(?)', 'a')).rejects.toThrow(/SQLITE_BUSY/);
    await other.exec('ROLLBACK');
    // A refused statement left as it was would stay a writer: this insert would not commit, and
    // running the refused one again would roll it back.
    await db.query('INSERT INTO t (k) VALUES(?)', 'b');
    expect(await other.query('SELECT k FROM t')).toEqual([{ k: 'b' }]);
    await db.query('INSERT INTO t VALUES(?)', 'c');
    expect(await other.query('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'b' }, { k: 'c' }]);
    // Every page copied into the file: the next write starts the log over, its two pages all of it.
    await db.restartLog(20);
    await db.query('INSERT INTO t VALUES(?)', 'd');
    expect(await other.query('PRAGMA wal_checkpoint(PASSIVE)')).toEqual([
      { busy: 0, log: 2, checkpointed: 2 },
    ]);
    await other.close();
    await db.close();
  });

  it("holds its writes, not its reads, for work given the writes' turn, and keeps their order", async () => {
    const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 }, library);
    await db.exec('CREATE TABLE t(n INTEGER)');
    let release = () => {};
    const held = db.inWritesTurn(() => new Promise<void>((done) => (release = done)));
    const write = db.query('INSERT INTO t VALUES(1)');
    // The read is answered while the turn is held, and the write has not run yet.
    expect(await db.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
    release();
    await held;
    await write;
    expect(await db.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 1 }]);
    await db.close();
  });

  it('waits for a lock held outside on timers, the thread going on, and keeps its writes in order', async () => {
    const file = join(dir, 'held.sqlite');
    const db = await connectSqlite(file, { busyTimeoutMs: 5_000 }, library);
    await db.exec('PRAGMA journal_mode=WAL; CREATE TABLE t(k TEXT)');
    // An operator's write transaction in the sqlite3 shell.
    const outside = await connectSqlite(file, { busyTimeoutMs: 50 }, library);
    await outside.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 5);
    const first = db.query('INSERT INTO t VALUES(?)', 'a');
    const second = db.query('INSERT INTO t VALUES(?)', 'b');
    await new Promise((resolve) => setTimeout(resolve, 200));
    clearInterval(ticking);
    // SQLite's own busy handler would have slept this thread, timers and all, for the 5 s.
    expect(ticks).toBeGreaterThan(10);
    await outside.exec('COMMIT');
    await Promise.all([first, second]);
    expect(await outside.query('SELECT k FROM t ORDER BY rowid')).toEqual([{ k: 'a' }, { k: 'b' }]);
    await outside.close();
    await db.close();
  });

  it('carries out the writes queued before close(), and refuses those after', async () => {
    const file = join(dir, 'closing.sqlite');
    const db = await connectSqlite(file, { busyTimeoutMs: 1_000 }, library);
    await db.exec('CREATE TABLE t(k TEXT)');
    let release = () => {};
    const held = db.inWritesTurn(() => new Promise<void>((done) => (release = done)));
    const queued = db.query('INSERT INTO t VALUES(?)', 'queued');
    const closed = db.close();
    await expect(db.query('INSERT INTO t VALUES(?)', 'late')).rejects.toThrow(/closed/);
    release();
    await Promise.all([held, queued, closed]);
    expect(await queryFile(file, 'SELECT k FROM t')).toEqual([{ k: 'queued' }]);
  });

  it('closes while statements it let go are still in use', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const db = await connectSqlite(':memory:', { busyTimeoutMs: 1_000 }, library);
      const runs = Array.from({ length: 100 }, (_, i) => db.query(`SELECT ${i} AS n`));
      await expect(db.close()).resolves.toBeUndefined();
      await Promise.allSettled(runs);
    }
  });
});

describe.runIf(sqliteLibraries().includes('node:sqlite'))(
  'a node:sqlite connection in a worker thread',
  () => {
    it('runs statements, names errors as node-sqlite3 does, and refuses once closed', async () => {
      const file = join(dir, 'upkeep.sqlite');
      const upkeep = await connectSqlite(file, { busyTimeoutMs: 50, offMainThread: true });
      await upkeep.exec('PRAGMA journal_mode=WAL; CREATE TABLE t(k TEXT PRIMARY KEY)');
      expect(await upkeep.run('INSERT INTO t VALUES(?), (?)', 'a', 'b')).toBe(2);
      expect(await upkeep.query('SELECT k FROM t WHERE k > ? ORDER BY k', [''])).toEqual([
        { k: 'a' },
        { k: 'b' },
      ]);
      await expect(upkeep.query('SELEC 1')).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
      const main = await connectSqlite(file, { busyTimeoutMs: 50 });
      await main.exec('BEGIN IMMEDIATE');
      await expect(upkeep.run('INSERT INTO t VALUES(?)', 'c')).rejects.toThrow(
        /^SQLITE_BUSY: database is locked/,
      );
      await main.exec('ROLLBACK');
      await main.query('INSERT INTO t VALUES(?)', 'd');
      await upkeep.restartLog(20);
      // Every page was copied, so the next write starts the log over: its two pages (the table's
      // and its key's) are the whole log, where they would follow nine.
      await main.query('INSERT INTO t VALUES(?)', 'e');
      expect(await upkeep.query('PRAGMA wal_checkpoint(PASSIVE)')).toEqual([
        { busy: 0, log: 2, checkpointed: 2 },
      ]);
      await upkeep.close();
      await expect(upkeep.query('SELECT 1')).rejects.toThrow(/closed/);
      expect(await main.query('SELECT k FROM t ORDER BY k')).toEqual([
        { k: 'a' },
        { k: 'b' },
        { k: 'd' },
        { k: 'e' },
      ]);
      await main.close();
    });
  },
);

describe.runIf(sqliteLibraries().includes('node:sqlite'))('a worker thread that dies', () => {
  it('fails the request it was on, not the process, and another takes its place', async () => {
    const upkeep = await connectSqlite(join(dir, 'dies.sqlite'), { busyTimeoutMs: 50, offMainThread: true });
    // Some 80 MB of text, past the worker's heap.
    const runaway =
      'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 100) SELECT hex(randomblob(400000)) FROM n';
    await expect(upkeep.query(runaway)).rejects.toThrow(/memory/);
    expect(await upkeep.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await upkeep.close();
  });
});

describe("the store file's connections", () => {
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
