/**
 * Checkpoints of the SQLite file's write-ahead log, on a connection of their own. SQLite's own
 * (every 1,000 pages) run inside whichever commit crosses the mark, and a checkpoint syncs the
 * file to disk: 4–7 ms during which the store's one connection answers nothing, so every read and
 * write of every interaction waited behind it. Here they run on another connection, off the main
 * thread (a worker thread's, with node:sqlite), which the store's connection goes on working
 * beside (WAL lets a PASSIVE checkpoint share the file with readers and a writer): a second after
 * the first write of a quiet spell, or at once after CHECKPOINT_AFTER_WRITES writes, so the log
 * stays about as short as SQLite would keep it.
 */
import type { SqliteConnection } from './sqlite-connection.js';

/** Writes after which a checkpoint runs without waiting: a few MB of log at most. */
const CHECKPOINT_AFTER_WRITES = 500;
const QUIET_MS = 1_000;
/**
 * Pages of log past which the whole log is checkpointed (RESTART) in the records' writes' turn,
 * so that they wait in Flock's queue, not in SQLite's busy handler. SQLite starts the log over
 * only after a checkpoint that copied all of it with no write in between; under steady writes a
 * PASSIVE checkpoint beside them rarely manages, and the log would grow without end. The RESTART
 * waits only briefly for other connections' readers, and it is quick, most pages having been
 * copied already; it is rare, and only under load.
 */
const RESTART_PAGES = 1_000;

export class WalCheckpoints {
  #writes = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(
    /** The connection checkpoints run on, beside the records' connection. */
    private readonly connection: SqliteConnection,
    /** Checkpoints the whole log, between two of the records' writes. */
    private readonly restart: () => Promise<unknown>,
  ) {}

  /** A commit went to the log. */
  wrote(): void {
    if (this.#closed) return;
    this.#writes += 1;
    if (this.#writes >= CHECKPOINT_AFTER_WRITES) this.#start();
    else this.#later();
  }

  #later(): void {
    if (!this.#closed) this.#timer ??= setTimeout(() => this.#start(), QUIET_MS).unref();
  }

  #start(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // One at a time: writes during a checkpoint count toward the next.
    if (this.#running !== undefined) return;
    this.#writes = 0;
    this.#running = this.#checkpoint().finally(() => {
      this.#running = undefined;
      if (this.#writes > 0) this.#later();
    });
  }

  async #checkpoint(): Promise<void> {
    try {
      const [passive] = (await this.connection.query('PRAGMA wal_checkpoint(PASSIVE)')) as Checkpointed[];
      if (passive && passive.log >= RESTART_PAGES) await this.restart();
    } catch {
      // A checkpoint that failed (a full disk, a writer holding on past the busy timeout) leaves
      // the log as it was, and SQLite reads through it meanwhile; the next write schedules
      // another, and SQLite's own checkpoint at 4,000 pages is the last resort (sqlite-file.ts).
      this.#later();
    }
  }

  /** Stops scheduling and waits for a checkpoint under way; the connection is the caller's to close. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}

/** What `PRAGMA wal_checkpoint` answers: pages in the log, and how many of them it copied. */
interface Checkpointed {
  busy: number;
  log: number;
  checkpointed: number;
}
