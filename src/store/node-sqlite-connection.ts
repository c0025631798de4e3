/**
 * A connection through Node's own SQLite (`node:sqlite`, Node 22.13 and later). Its statements
 * run on the calling thread, start to end, in tens of microseconds for one of Flock's records:
 * no trip through libuv's thread pool, where on a busy machine a write waited milliseconds for a
 * thread and then for the main thread's callback. What could take long (checkpoints, which sync
 * the file to disk, and sweeps) runs on another connection in a worker thread
 * (node-sqlite-worker.ts), in this connection's writes' turn when it writes.
 *
 * The interface stays a promise's, as node-sqlite3's is: a query's promise is settled when it
 * returns. Writes keep their order with the work given the writes' turn: while any waits, a write
 * waits behind it instead of running at once. Nothing here sleeps the main thread: a statement
 * refused a lock (by a writer outside Flock) is tried again on a timer, not in SQLite's busy
 * handler.
 */
import type { ConnectionOptions, SqliteConnection } from './sqlite-connection.js';
import { isWrite } from './sqlite-connection.js';
import { WritesTurn } from './writes-turn.js';

/** The part of `node:sqlite` Flock uses; @types/node for Node 20 does not describe it. */
export interface NodeSqlite {
  DatabaseSync: new (path: string) => NodeSqliteDatabase;
}
export interface NodeSqliteDatabase {
  prepare(sql: string): NodeSqliteStatement;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint };
}

/** What Node 22 says the first time `node:sqlite` is loaded; Node 24 says nothing. */
const EXPERIMENTAL_WARNING = 'SQLite is an experimental feature';

let loaded: { sqlite: NodeSqlite | undefined } | undefined;

/** `node:sqlite`, or undefined on a Node without it (Node 20; 22 before 22.13 without a flag). */
export function nodeSqlite(): NodeSqlite | undefined {
  if (!loaded) {
    // Node 22 warns on stderr that the module is experimental. Flock uses the part that has not
    // changed since it appeared (open, prepare, run, close), so that one warning is not passed on.
    const emitWarning = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
      if (!String(warning).includes(EXPERIMENTAL_WARNING)) emitWarning.call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      loaded = { sqlite: process.getBuiltinModule('node:sqlite') as NodeSqlite | undefined };
    } finally {
      process.emitWarning = emitWarning;
    }
  }
  return loaded.sqlite;
}

/** The most statements kept prepared, as for node-sqlite3 (sqlite3-connection.ts). */
const KEPT_STATEMENTS = 32;

export function connectNodeSqlite(
  sqlite: NodeSqlite,
  path: string,
  { busyTimeoutMs, afterWrite, setup }: ConnectionOptions,
): Promise<SqliteConnection> {
  return settled(() => {
    const db = new sqlite.DatabaseSync(path);
    // SQLite's own wait for a lock sleeps the calling thread, here the main one, so it is off: a
    // statement refused a lock is tried again after a timer instead (see `retrying`).
    db.exec('PRAGMA busy_timeout = 0');
    if (setup) catching(() => db.exec(setup));
    return prepared(db, busyTimeoutMs, afterWrite);
  });
}

/** The waits between tries of a statement refused a lock, as SQLite's own busy handler spaces them. */
const RETRY_DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

interface Kept {
  statement: NodeSqliteStatement;
  writes: boolean;
}

function prepared(db: NodeSqliteDatabase, busyTimeoutMs: number, afterWrite?: () => void): SqliteConnection {
  // Least recently used first: a Map keeps insertion order, and a use moves a statement to the
  // end. One let go is finalized by Node when it is collected, or when the connection closes.
  const kept = new Map<string, Kept>();
  const turn = new WritesTurn();
  const inWritesTurn = <T>(work: () => Promise<T>): Promise<T> => turn.run(work);
  let closing: Promise<void> | undefined;

  const keptFor = (sql: string): Kept => {
    let entry = kept.get(sql);
    if (entry) kept.delete(sql);
    else entry = { statement: catching(() => db.prepare(sql)), writes: isWrite(sql) };
    kept.set(sql, entry);
    for (const oldSql of kept.keys()) {
      if (kept.size <= KEPT_STATEMENTS) break;
      kept.delete(oldSql);
    }
    return entry;
  };

  /**
   * Runs `step` until SQLite does not refuse it a lock, for at most the busy timeout, waiting on
   * timers between tries (the main thread goes on meanwhile). A write tries again in the writes'
   * turn, so those after it keep waiting behind it.
   */
  const retrying = async <T>(step: () => T, started: number): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return step();
      } catch (error) {
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 100;
        if (!isBusy(error) || performance.now() - started + delay > busyTimeoutMs) throw error;
        await new Promise((resume) => setTimeout(resume, delay));
      }
    }
  };

  /**
   * Runs `step` now, unless it writes and work holds the writes' turn: then in its turn. Node
   * resets a statement after each run, failed or not, so one refused a lock does not stay a
   * writer (sqlite3-connection.ts tells what that would do).
   */
  const perform = <T>(writes: boolean, step: () => T): Promise<T> => {
    if (closing !== undefined) return Promise.reject(closedError());
    if (writes && turn.waiting > 0) return inWritesTurn(() => retrying(step, performance.now()));
    const started = performance.now();
    try {
      return Promise.resolve(step());
    } catch (error) {
      if (!isBusy(error)) return Promise.reject(error);
      // Nothing was queued since it ran (this is the same tick), so its place is kept.
      return writes ? inWritesTurn(() => retrying(step, started)) : retrying(step, started);
    }
  };

  return {
    inWritesTurn,
    query(sql, ...params) {
      if (closing !== undefined) return Promise.reject(closedError());
      let entry: Kept;
      try {
        entry = keptFor(sql);
      } catch (error) {
        return Promise.reject(error);
      }
      const values = bindable(params);
      return perform(entry.writes, () => {
        const rows = catching(() => entry.statement.all(...values));
        if (entry.writes) afterWrite?.();
        return rows;
      });
    },
    exec: (sql) => perform(isWrite(sql), () => catching(() => db.exec(sql))),
    run(sql, ...params) {
      const values = bindable(params);
      return perform(isWrite(sql), () =>
        Number(catching(() => keptFor(sql).statement.run(...values)).changes),
      );
    },
    // The store checkpoints on its upkeep connection (sqlite-file.ts); here the checkpoint, which
    // syncs the file, would hold the main thread.
    restartLog(waitMs) {
      return inWritesTurn(async () => {
        db.exec(`PRAGMA busy_timeout = ${Math.floor(waitMs)}`);
        try {
          catching(() => db.exec('PRAGMA wal_checkpoint(RESTART)'));
        } finally {
          db.exec('PRAGMA busy_timeout = 0');
        }
      });
    },
    close() {
      // Writes already queued are carried out; calls from now on are refused.
      closing ??= turn.idle().then(() => {
        kept.clear();
        // Node finalizes every statement of the connection, then closes it.
        catching(() => db.close());
      });
      return closing;
    },
  };
}

/**
 * Parameters as node-sqlite3 takes them, for node:sqlite: each a value, or all in one array;
 * undefined is NULL and a boolean 1 or 0 there, where node:sqlite refuses both (Node 22).
 */
export function bindable(params: unknown[]): unknown[] {
  const values = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  return values.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    // node:sqlite binds every number as a REAL; a whole one goes in as an INTEGER, as with
    // node-sqlite3 (a REAL 5 is '5.0' in a TEXT column).
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    return value;
  });
}

/** SQLite's primary result codes by number, to name an error as node-sqlite3 does. */
const RESULT_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

/**
 * An error from node:sqlite, named as node-sqlite3 names it (`code: 'SQLITE_BUSY'`, and the
 * message starting with the code), so the rest of Flock reads both alike.
 */
export function asSqliteError(error: unknown): unknown {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode !== 'number') return error;
  const code = RESULT_CODES[errcode & 0xff] ?? 'SQLITE_ERROR';
  const message = error instanceof Error ? error.message : String((error as { message?: unknown }).message);
  return Object.assign(new Error(`${code}: ${message}`), { code, errno: errcode });
}

const closedError = () => new Error('The SQLite connection is closed.');

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';
}

function catching<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asSqliteError(error);
  }
}

/** A promise settled by `work`'s result or error, work having run now. */
function settled<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}
