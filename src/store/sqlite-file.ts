/**
 * The SQLite file behind the default store. It holds sealed tokens and who follows whom, so it
 * is private to its owner: the data folder is 0700 when Flock creates it, the database and its
 * -wal and -shm files 0600. And it serves one process: a second Flock on the same file would
 * post every alert twice and race X's single-use refresh tokens, so opening it takes a lock
 * that the kernel lets go of when the process ends, however it ends.
 */
import { chmodSync, closeSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { connectSqlite, type SqliteConnection } from './sqlite-connection.js';
import { StoreError } from './store-error.js';
import { WalCheckpoints } from './wal-checkpoints.js';

/** Keyv's table (@keyv/sqlite's default), shared by every namespace: keys are `namespace:key`. */
export const KEYV_TABLE = 'keyv';

/** How long starting the log over waits for other connections' readers, every write waiting too. */
const RESTART_WAIT_MS = 20;

/**
 * How long a statement waits for a lock held outside Flock (an operator writing in the sqlite3
 * shell) before it fails. Flock's own slow work takes the records' writes' turn instead (see
 * SqliteConnection.inWritesTurn), so within Flock nothing waits for it. With node:sqlite the
 * records' connection waits on timers, never stopping the main thread.
 */
const BUSY_MS = 10_000;

/** Keyv's table as @keyv/sqlite makes it. */
export const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${KEYV_TABLE}(key VARCHAR(255) PRIMARY KEY, value TEXT )`;

/**
 * Keyv's expiry of a record (`expires` in its JSON, ms since epoch), or NULL if it has none. CASE
 * rather than AND, because only CASE promises json_extract never sees a value that is not JSON
 * (that would fail the whole statement).
 */
const EXPIRES = `(CASE WHEN json_valid(value) THEN json_extract(value, '$.expires') END)`;
const SWEEP_CHUNK = 500;
/** Up to SWEEP_CHUNK records that expired before `?`: a read, which takes no lock from writers. */
const FIND_EXPIRED = `SELECT rowid AS id FROM ${KEYV_TABLE} WHERE ${EXPIRES} < ? LIMIT ${SWEEP_CHUNK}`;
/** Deletes the records found (a JSON array of rowids) still expired: one rewritten since is kept. */
const DELETE_EXPIRED = `DELETE FROM ${KEYV_TABLE} WHERE rowid IN (SELECT value FROM json_each(?)) AND ${EXPIRES} < ?`;

/** Where a sweep reads, and how it deletes (in the records' writes' turn, for the file). */
export interface SweepConnection {
  query(sql: string, ...params: unknown[]): Promise<unknown[]>;
  run(sql: string, ...params: unknown[]): Promise<number>;
}

/**
 * Deletes every record that expired before `now`, a chunk at a time. Finding them reads the whole
 * table, which a large store takes a while to do; that is done without the write lock, and each
 * chunk is then deleted by rowid in a transaction of its own, so a write waits for a sweep a
 * millisecond or two at most.
 */
export async function sweepInChunks(connection: SweepConnection, now: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const found = (await connection.query(FIND_EXPIRED, now)) as { id: number }[];
    if (found.length === 0) return removed;
    removed += await connection.run(DELETE_EXPIRED, JSON.stringify(found.map((row) => row.id)), now);
    if (found.length < SWEEP_CHUNK) return removed;
  }
}

export interface SqliteFile {
  /** The database's absolute path, symlinks resolved. */
  path: string;
  /** The connection every record is read and written on (see sqlite-connection.ts), on the main thread. */
  connection: SqliteConnection;
  /** Deletes every record of every namespace that expired before `now`; resolves to how many. */
  sweepExpired(now: number): Promise<number>;
  /** Closes both connections, then lets go of the lock. */
  close(): Promise<void>;
}

/** Makes the folder, takes the lock, then makes the file and sets it up for Keyv's connections. */
export async function openSqliteFile(path: string): Promise<SqliteFile> {
  const file = prepareFolder(path);
  const lock = await takeLock(file);
  try {
    prepareFile(file);
    // Checkpoints and sweeps, the slow work, go on a connection of their own, off the main thread
    // (wal-checkpoints.ts). Those that write do it in the records' writes' turn.
    const upkeep = await connectSqlite(file, {
      busyTimeoutMs: BUSY_MS,
      offMainThread: true,
      // WAL lets readers and the writer work at once (the upkeep connection, an operator's
      // sqlite3 shell), and it is kept in the file. NORMAL syncs at checkpoints instead of every
      // commit; a crash still leaves every record whole (a transaction is all or nothing). Its
      // own commits (sweeps) leave checkpoints to Flock's.
      setup: `PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; ${CREATE_TABLE}`,
    });
    let db: SqliteConnection | undefined;
    const checkpoints = new WalCheckpoints(upkeep, async () =>
      db?.inWritesTurn(() => upkeep.restartLog(RESTART_WAIT_MS)),
    );
    try {
      db = await connectSqlite(file, {
        busyTimeoutMs: BUSY_MS,
        afterWrite: () => checkpoints.wrote(),
        // SQLite's own checkpoint, inside a commit, only past 4,000 pages (16 MB): should Flock's
        // fall behind (a burst of thousands of writes a second while the disk is slow to sync),
        // the log still stays bounded, at the cost of that commit's wait (with node:sqlite, the
        // main thread's). A log started over is cut back to 4 MB.
        setup: 'PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=4000; PRAGMA journal_size_limit=4194304',
      });
    } catch (error) {
      await upkeep.close().catch(() => undefined);
      throw error;
    }
    // SQLite gives -wal and -shm the database's mode already; this covers a file made before.
    for (const extra of [`${file}-wal`, `${file}-shm`]) chmodIfPresent(extra, 0o600);
    const records = db;
    let closing: Promise<void> | undefined;
    return {
      path: file,
      connection: records,
      // Each chunk is deleted in the records' writes' turn: those writes wait for it in Flock's
      // queue, not in SQLite's busy handler, which sleeps.
      sweepExpired: (now) =>
        sweepInChunks(
          {
            query: upkeep.query,
            run: (sql, ...params) => records.inWritesTurn(() => upkeep.run(sql, ...params)),
          },
          now,
        ),
      close() {
        // The records' connection goes last: the last to close checkpoints the whole log.
        closing ??= checkpoints
          .close()
          .then(() => upkeep.close())
          .finally(() => records.close())
          .finally(() => lock.close());
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
async function takeLock(file: string): Promise<SqliteConnection> {
  const lockPath = `${file}.lock`;
  try {
    createIfMissing(lockPath);
  } catch (error) {
    throw new StoreError(`Cannot create ${lockPath}: ${oneLine(error)}`);
  }
  const lock = await connectSqlite(lockPath, { busyTimeoutMs: 0 }).catch((error: unknown) => {
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
