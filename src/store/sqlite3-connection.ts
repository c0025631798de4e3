/**
 * A connection through node-sqlite3 (Flock's library on Node 20) that keeps its statements
 * prepared. node-sqlite3's `Database.all` (what @keyv/sqlite runs every query through) prepares
 * the statement, runs it and finalizes it, three trips through libuv's thread pool with a
 * callback on the main thread for each; a statement kept prepared is one trip. A new list's
 * record costs about a quarter less CPU (`npm run bench:store-writes`: 111–145 µs against
 * 174–194, one at a time).
 *
 * Every record of the store is read and written on one such connection: its namespaces are rows
 * of one table, so the same few statements serve them all, and two writes of this process never
 * meet each other's locks (one connection per namespace did: the second waited out SQLite's busy
 * handler, which sleeps a millisecond or more). SQLite runs one statement at a time on a
 * connection, each tens of microseconds; the slow work (checkpoints, sweeps) has a connection of
 * its own (sqlite-file.ts).
 */
import sqlite3 from 'sqlite3';
import { type ConnectionOptions, isWrite, type SqliteConnection } from './sqlite-connection.js';
import { WritesTurn } from './writes-turn.js';

/**
 * The most statements kept prepared. Flock's queries are a dozen fixed texts; the ones built per
 * call (setMany's, one per batch size) would otherwise keep one each, so the oldest are let go.
 */
const KEPT_STATEMENTS = 32;

export async function connectSqlite3(path: string, options: ConnectionOptions): Promise<SqliteConnection> {
  const connection = await new Promise<SqliteConnection>((resolve, reject) => {
    const db = new sqlite3.Database(path, (error) => {
      if (error) reject(error);
      else resolve(prepared(db, options));
    });
  });
  if (options.setup) {
    const { setup } = options;
    await connection.exec(setup).catch(async (error: unknown) => {
      await connection.close().catch(() => undefined);
      throw error;
    });
  }
  return connection;
}

/** A kept statement, and how many queries are using it: one let go is finalized once none is. */
interface Kept {
  statement: Promise<sqlite3.Statement>;
  writes: boolean;
  users: number;
  letGo: boolean;
  finalized?: Promise<void>;
}

function prepared(db: sqlite3.Database, { busyTimeoutMs, afterWrite }: ConnectionOptions): SqliteConnection {
  db.configure('busyTimeout', busyTimeoutMs);
  // Least recently used first: a Map keeps insertion order, and a use moves a statement to the end.
  const kept = new Map<string, Kept>();
  /** Statements let go while still in use: close() waits for them. */
  const retiring = new Set<Kept>();
  /** Writes go one at a time (see query). */
  const turn = new WritesTurn();
  let closed = false;

  // Finalizing also resets: a statement that failed part way ends, and takes nothing with it.
  const finalize = (entry: Kept): Promise<void> => {
    entry.finalized ??= entry.statement
      .then(
        (s) => new Promise<void>((done) => s.finalize(() => done())),
        () => undefined,
      )
      .finally(() => retiring.delete(entry));
    return entry.finalized;
  };

  /** No longer kept: finalized now if no query is using it, else by the last that is. */
  const letGo = (entry: Kept): void => {
    entry.letGo = true;
    retiring.add(entry);
    if (entry.users === 0) void finalize(entry);
  };

  const inWritesTurn = <T>(work: () => Promise<T>): Promise<T> => turn.run(work);

  const keptFor = (sql: string): Kept => {
    const known = kept.get(sql);
    if (known) {
      kept.delete(sql);
      kept.set(sql, known);
      return known;
    }
    const entry: Kept = {
      statement: new Promise<sqlite3.Statement>((done, fail) => {
        const s: sqlite3.Statement = db.prepare(sql, (error) => (error ? fail(error) : done(s)));
      }),
      writes: isWrite(sql),
      users: 0,
      letGo: false,
    };
    kept.set(sql, entry);
    // A statement that did not prepare (bad SQL) is not kept: the next call gets its own error.
    entry.statement.catch(() => {
      if (kept.get(sql) === entry) kept.delete(sql);
    });
    for (const [oldSql, old] of kept) {
      if (kept.size <= KEPT_STATEMENTS) break;
      kept.delete(oldSql);
      letGo(old);
    }
    return entry;
  };

  /** Runs a query whose entry the caller has already counted as used. */
  const run = async (sql: string, entry: Kept, params: unknown[]): Promise<unknown[]> => {
    let failed = false;
    try {
      const statement = await entry.statement;
      // `all` steps to the end, so the statement holds no read transaction afterwards (one left
      // open would keep SQLite from checkpointing the WAL); it resets and rebinds on each run.
      // Spread as Database.all takes them: each a value, or one array (or object) of them all.
      const rows = await new Promise<unknown[]>((done, fail) => {
        statement.all(...params, (error: Error | null, found: unknown[]) =>
          error ? fail(error) : done(found),
        );
      });
      if (entry.writes) afterWrite?.();
      return rows;
    } catch (error) {
      // A statement that failed may still be under way inside SQLite: one refused the write lock
      // (SQLITE_BUSY) stays a writer until it is reset, and while it is, no other write on this
      // connection commits; resetting it then rolls them all back, though each was reported
      // stored. So it is let go, and finalized before anything else is written.
      failed = true;
      if (kept.get(sql) === entry) kept.delete(sql);
      letGo(entry);
      throw error;
    } finally {
      entry.users -= 1;
      if (entry.letGo && entry.users === 0) {
        const finalized = finalize(entry);
        if (failed) await finalized;
      }
    }
  };

  return {
    inWritesTurn,
    async query(sql, ...params) {
      if (closed) throw new Error('The SQLite connection is closed.');
      const entry = keptFor(sql);
      // Counted from now, not from its turn: a write waiting for one is not let go meanwhile.
      entry.users += 1;
      if (!entry.writes) return run(sql, entry, params);
      // One write at a time: SQLite runs them one after another on a connection anyway, and a
      // failed one is finalized (above) before the next starts.
      return inWritesTurn(() => run(sql, entry, params));
    },
    restartLog(waitMs) {
      // In the writes' turn, with a short wait of its own: a reader that holds on (an operator's
      // backup) makes it give up soon, not hold up every write for the busy timeout.
      return inWritesTurn(async () => {
        db.configure('busyTimeout', waitMs);
        try {
          await new Promise<void>((done, fail) =>
            db.exec('PRAGMA wal_checkpoint(RESTART)', (error) => (error ? fail(error) : done())),
          );
        } finally {
          db.configure('busyTimeout', busyTimeoutMs);
        }
      });
    },
    exec: (sql) => new Promise((done, fail) => db.exec(sql, (error) => (error ? fail(error) : done()))),
    run: (sql, ...params) =>
      new Promise((done, fail) =>
        db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
          if (error) fail(error);
          else done(this.changes);
        }),
      ),
    async close() {
      closed = true;
      await turn.idle();
      const entries = [...kept.values(), ...retiring];
      kept.clear();
      // Queries under way finish first: node-sqlite3 runs a statement's finalize after its runs.
      await Promise.all(entries.map(finalize));
      await new Promise<void>((done, fail) => db.close((error) => (error ? fail(error) : done())));
    },
  };
}
