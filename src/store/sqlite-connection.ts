/**
 * A connection to a SQLite database, through one of two libraries:
 * - Node's own `node:sqlite` (Node 22.13 and later), whose statements run on the calling thread:
 *   a record is read or written in tens of microseconds, with no trip through a thread pool
 *   (node-sqlite-connection.ts). The connection for slow work (checkpoints, sweeps) lives in a
 *   worker thread (node-sqlite-worker.ts).
 * - node-sqlite3 (Node 20), which runs every statement on libuv's thread pool, so a statement
 *   waits for a thread there and then for the main thread's callback (sqlite3-connection.ts).
 *
 * A process uses one library for every connection to a file. Each library has its own copy of
 * SQLite, and a copy knows only its own locks: POSIX locks belong to the process, so when one
 * copy closes its descriptor of a file, the kernel drops the locks the other copy holds on it,
 * and two writers could then corrupt the file.
 */
import { connectNodeSqlite, nodeSqlite } from './node-sqlite-connection.js';
import { connectInWorker } from './node-sqlite-worker.js';
import { connectSqlite3 } from './sqlite3-connection.js';

export interface SqliteConnection {
  /** Runs one statement to its end and resolves to its rows (none for a write). */
  query(sql: string, ...params: unknown[]): Promise<unknown[]>;
  /** Runs one or more statements that take no parameters and are not kept. */
  exec(sql: string): Promise<void>;
  /** Runs one statement; resolves to the number of rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /**
   * Runs `work` once this connection's writes before it are done; its writes after it wait for
   * it. Another connection's write (a sweep, a checkpoint that takes the write lock) runs here,
   * so it never meets this connection's writes at SQLite's lock, where one of them would wait
   * in SQLite's busy handler.
   */
  inWritesTurn<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Checkpoints the whole write-ahead log so the next write starts it over (RESTART), after this
   * connection's writes under way, waiting at most `waitMs` for other connections' readers.
   */
  restartLog(waitMs: number): Promise<void>;
  /** Waits for the writes under way, then closes. */
  close(): Promise<void>;
}

export interface ConnectionOptions {
  busyTimeoutMs: number;
  /**
   * Statements run whenever the connection is opened (its PRAGMAs): again if its worker thread
   * died and another took its place.
   */
  setup?: string;
  /** Called after each query that wrote (anything but a SELECT), once it is committed. */
  afterWrite?: () => void;
  /**
   * For slow work (checkpoints, sweeps): keeps the calling thread free. With `node:sqlite` the
   * connection then lives in a worker thread; node-sqlite3 runs every statement off it anyway.
   */
  offMainThread?: boolean;
}

export type SqliteLibrary = 'node:sqlite' | 'sqlite3';

/** The libraries this Node can use, the one Flock uses first. */
export function sqliteLibraries(): SqliteLibrary[] {
  return nodeSqlite() ? ['node:sqlite', 'sqlite3'] : ['sqlite3'];
}

/** Opens `path` (or `:memory:`) with the given library, by default the first this Node has. */
export async function connectSqlite(
  path: string,
  options: ConnectionOptions,
  library: SqliteLibrary = sqliteLibraries()[0] ?? 'sqlite3',
): Promise<SqliteConnection> {
  if (library === 'sqlite3') return connectSqlite3(path, options);
  const sqlite = nodeSqlite();
  if (!sqlite) throw new Error(`This Node (${process.version}) has no node:sqlite.`);
  return options.offMainThread ? connectInWorker(path, options) : connectNodeSqlite(sqlite, path, options);
}

/** The kind of statement whose query counts as a write (afterWrite, the writes' turn). */
export function isWrite(sql: string): boolean {
  return !/^\s*SELECT\b/i.test(sql);
}
