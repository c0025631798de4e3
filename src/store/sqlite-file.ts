/**
 * The SQLite file behind the default store. It holds sealed tokens and who follows whom, so it
 * is private to its owner: the data folder is 0700 when Flock creates it, the database and its
 * -wal and -shm files 0600. And it serves one process: a second Flock on the same file would
 * post every alert twice and race X's single-use refresh tokens, so opening it takes a lock
 * that the kernel lets go of when the process ends, however it ends.
 */
import { chmodSync, closeSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { StoreError } from './store-error.js';

/** Keyv's table (@keyv/sqlite's default), shared by every namespace: keys are `namespace:key`. */
export const KEYV_TABLE = 'keyv';

/**
 * Deletes records whose Keyv expiry (`expires` in the serialized JSON, ms since epoch) is before
 * `?`. CASE rather than AND, because only CASE promises json_extract never sees a value that is
 * not JSON (that would fail the whole statement).
 */
export const SWEEP_SQL = `DELETE FROM ${KEYV_TABLE}
  WHERE (CASE WHEN json_valid(value) THEN json_extract(value, '$.expires') END) < ?`;

export interface SqliteFile {
  /** The database's absolute path, symlinks resolved. */
  path: string;
  /** Deletes every record of every namespace that expired before `now`; resolves to how many. */
  sweepExpired(now: number): Promise<number>;
  /** Closes Flock's own connection, then lets go of the lock. */
  close(): Promise<void>;
}

/** Makes the folder, takes the lock, then makes the file and sets it up for Keyv's connections. */
export async function openSqliteFile(path: string): Promise<SqliteFile> {
  const file = prepareFolder(path);
  const lock = await takeLock(file);
  try {
    prepareFile(file);
    const db = await connect(file, 10_000);
    try {
      // WAL lets readers and the writer work at once; it is kept in the file, so setting it once
      // here covers every connection. The table is made here too, so a sweep never misses it.
      await db.exec(
        `PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS ${KEYV_TABLE}(key VARCHAR(255) PRIMARY KEY, value TEXT )`,
      );
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    // SQLite gives -wal and -shm the database's mode already; this covers a file made before.
    for (const extra of [`${file}-wal`, `${file}-shm`]) chmodIfPresent(extra, 0o600);
    let closing: Promise<void> | undefined;
    return {
      path: file,
      sweepExpired: (now) => db.run(SWEEP_SQL, now),
      close() {
        closing ??= db.close().finally(() => lock.close());
        return closing;
      },
    };
  } catch (error) {
    await lock.close().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Cannot open ${file}: ${oneLine(error)}`);
  }
}

/** Makes the data folder (0700); returns the database's path with the folder's symlinks resolved. */
function prepareFolder(path: string): string {
  const folder = dirname(resolve(path));
  try {
    const created = mkdirSync(folder, { recursive: true, mode: 0o700 });
    // mkdir's mode passes through the umask; each folder Flock made is set exactly. A folder the
    // operator made is theirs to set.
    if (created !== undefined) {
      for (let dir = folder; ; dir = dirname(dir)) {
        chmodSync(dir, 0o700);
        if (dir === created || dirname(dir) === dir) break;
      }
    }
    // Real paths, so two spellings of one file (a symlinked folder) share one lock.
    return join(realpathSync(folder), basename(path));
  } catch (error) {
    throw new StoreError(`Cannot create the data folder ${folder}: ${oneLine(error)}`);
  }
}

/**
 * Makes the database file 0600 before SQLite opens it, so it is never readable by others, not
 * even for a moment; one an earlier Flock made (0644) is tightened.
 */
function prepareFile(file: string): void {
  createIfMissing(file);
  try {
    chmodSync(file, 0o600);
  } catch (error) {
    // Someone else's file that Flock may still write: theirs to set.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

/**
 * Creates an empty file with mode 0600, or leaves an existing one unopened: closing any
 * descriptor of a file drops every POSIX lock this process holds on it, SQLite's included.
 */
function createIfMissing(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * The lock is a second, empty SQLite database next to the store, held in an exclusive
 * transaction for as long as the store is open. SQLite locks it with POSIX advisory locks,
 * which the kernel drops when the process exits or is killed, so a crash never leaves a stale
 * lock behind (a PID file would); and SQLite also refuses a second connection in the same
 * process. Busy timeout 0: the other process is not about to let go.
 */
async function takeLock(file: string): Promise<Connection> {
  const lockPath = `${file}.lock`;
  try {
    createIfMissing(lockPath);
  } catch (error) {
    throw new StoreError(`Cannot create ${lockPath}: ${oneLine(error)}`);
  }
  const lock = await connect(lockPath, 0).catch((error: unknown) => {
    throw new StoreError(`Cannot open ${lockPath}: ${oneLine(error)}`);
  });
  try {
    await lock.exec('PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE');
    return lock;
  } catch (error) {
    await lock.close().catch(() => undefined);
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY')
      throw new StoreError(
        `${file} is open in another Flock process: Flock runs as one process on SQLite, so stop the other process first.`,
      );
    throw new StoreError(`Cannot lock ${lockPath}: ${oneLine(error)}`);
  }
}

function chmodIfPresent(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

interface Connection {
  exec(sql: string): Promise<void>;
  /** Runs one statement; resolves to the number of rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

function connect(path: string, busyTimeoutMs: number): Promise<Connection> {
  return new Promise((resolveConnection, reject) => {
    const db = new sqlite3.Database(path, (error) => {
      if (error) {
        reject(error);
        return;
      }
      db.configure('busyTimeout', busyTimeoutMs);
      resolveConnection({
        exec: (sql) => new Promise((done, fail) => db.exec(sql, (e) => (e ? fail(e) : done()))),
        run: (sql, ...params) =>
          new Promise((done, fail) =>
            db.run(sql, params, function (this: sqlite3.RunResult, e: Error | null) {
              if (e) fail(e);
              else done(this.changes);
            }),
          ),
        close: () => new Promise((done, fail) => db.close((e) => (e ? fail(e) : done()))),
      });
    });
  });
}
