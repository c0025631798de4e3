/**
 * Checkpoints of the SQLite file's write-ahead log, on a connection of their own. SQLite's own
 * (every 1,000 pages) run inside whichever commit crosses the mark, and a checkpoint syncs the
 * file to disk: 4–7 ms during which the store's one connection answers nothing, so every read and
 * write of every interaction waited behind it. Here they run on another connection, which the
 * store's connection goes on working beside (WAL lets a PASSIVE checkpoint share the file with
 * readers and a writer): a second after the first write of a quiet spell, or at once after
 * CHECKPOINT_AFTER_WRITES writes, so the log stays about as short as SQLite would keep it.
 */
import type { SqliteConnection } from './sqlite-connection.js';

/** Writes after which a checkpoint runs without waiting: a few MB of log at most. */
const CHECKPOINT_AFTER_WRITES = 500;
const QUIET_MS = 1_000;

export class WalCheckpoints {
  #writes = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(private readonly connection: SqliteConnection) {}

  /** A commit went to the log. */
  wrote(): void {
    if (this.#closed) return;
    this.#writes += 1;
    if (this.#writes >= CHECKPOINT_AFTER_WRITES) this.#start();
    else this.#timer ??= setTimeout(() => this.#start(), QUIET_MS).unref();
  }

  #start(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // One at a time: writes during a checkpoint count toward the next.
    if (this.#running !== undefined) return;
    this.#writes = 0;
    this.#running = this.connection
      .exec('PRAGMA wal_checkpoint(PASSIVE)')
      // A checkpoint that failed (a full disk) leaves the log as it was; the next one tries again,
      // and SQLite reads through the log meanwhile.
      .catch(() => undefined)
      .finally(() => {
        this.#running = undefined;
        if (this.#writes > 0 && !this.#closed)
          this.#timer ??= setTimeout(() => this.#start(), QUIET_MS).unref();
      });
  }

  /** Stops scheduling and waits for a checkpoint under way; the connection is the caller's to close. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
