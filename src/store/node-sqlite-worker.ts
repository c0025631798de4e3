/**
 * A `node:sqlite` connection in a worker thread, for the slow work on the store's file:
 * checkpoints (each syncs the file to disk, 4–7 ms here) and sweeps. node:sqlite runs a statement
 * on the calling thread, so on the main thread these would stop every interaction meanwhile.
 *
 * The worker's code is a string evaluated by the worker: a file of its own would need a build
 * step of its own under each of tsx, vitest and tsc's output, and it is a few lines that pass
 * statements to SQLite. It uses the same SQLite as the main thread (Node's, one copy in the
 * process), so the two connections see each other's locks. A worker that dies (out of its
 * memory, say) fails the requests it had, and the next request starts another.
 */
import { Worker } from 'node:worker_threads';
import { asSqliteError, bindable } from './node-sqlite-connection.js';
import type { ConnectionOptions, SqliteConnection } from './sqlite-connection.js';
import { WritesTurn } from './writes-turn.js';

const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  if (!String(warning).includes('SQLite is an experimental feature')) emitWarning.call(process, warning, ...rest);
};
const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
process.emitWarning = emitWarning;
let db;
let busyTimeoutMs = 0;
// The few statements of checkpoints and sweeps, kept prepared (at most 32, oldest let go).
const kept = new Map();
const prepared = (sql) => {
  let statement = kept.get(sql);
  if (statement) kept.delete(sql);
  else statement = db.prepare(sql);
  kept.set(sql, statement);
  if (kept.size > 32) kept.delete(kept.keys().next().value);
  return statement;
};
const setBusyTimeout = (ms) => db.exec('PRAGMA busy_timeout = ' + Math.floor(ms));
const work = {
  open({ path, waitMs, sql }) {
    db = new DatabaseSync(path);
    busyTimeoutMs = waitMs;
    setBusyTimeout(waitMs);
    if (sql) db.exec(sql);
  },
  query: ({ sql, params }) => prepared(sql).all(...params),
  run: ({ sql, params }) => Number(prepared(sql).run(...params).changes),
  exec: ({ sql }) => void db.exec(sql),
  restart({ waitMs }) {
    setBusyTimeout(waitMs);
    try {
      db.exec('PRAGMA wal_checkpoint(RESTART)');
    } finally {
      setBusyTimeout(busyTimeoutMs);
    }
  },
  close() {
    kept.clear();
    db.close();
  },
};
parentPort.on('message', (request) => {
  try {
    parentPort.postMessage({ id: request.id, value: work[request.kind](request) });
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: { message: error.message, errcode: error.errcode } });
  }
});
`;

/**
 * The worker's heap: checkpoints and sweeps hold a few rows at a time. A runaway query fails the
 * worker (which is replaced), not the process.
 */
const WORKER_HEAP_MB = 32;

interface Request {
  kind: 'open' | 'query' | 'run' | 'exec' | 'restart' | 'close';
  path?: string;
  sql?: string;
  params?: unknown[];
  waitMs?: number;
}

interface Reply {
  id: number;
  value?: unknown;
  error?: { message: string; errcode?: number };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const closedError = () => new Error('The SQLite connection is closed.');

/** One worker with the file open; `ask` fails once it has died. */
class WorkerThread {
  readonly #worker = new Worker(WORKER_SOURCE, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #gone: Error | undefined;

  constructor() {
    // The worker keeps the process alive only while a request waits for its answer: an upkeep
    // connection left open (its owner never closed the store) does not hold the process up.
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      const request = this.#pending.get(reply.id);
      if (!request) return;
      this.#settled(reply.id);
      if (reply.error)
        request.reject(asSqliteError(Object.assign(new Error(reply.error.message), reply.error)));
      else request.resolve(reply.value);
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', () => this.#fail(closedError()));
  }

  get gone(): boolean {
    return this.#gone !== undefined;
  }

  ask<T>(request: Request): Promise<T> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.#pending.size === 1) this.#worker.ref();
      try {
        this.#worker.postMessage({ ...request, id });
      } catch (error) {
        // A value the worker cannot be sent: this request fails, nothing waits for it.
        this.#settled(id);
        reject(error);
      }
    });
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #fail(error: Error): void {
    this.#gone ??= error;
    for (const request of this.#pending.values()) request.reject(error);
    this.#pending.clear();
    this.#worker.unref();
  }
}

export async function connectInWorker(
  path: string,
  { busyTimeoutMs, setup }: ConnectionOptions,
): Promise<SqliteConnection> {
  const start = async (): Promise<WorkerThread> => {
    const thread = new WorkerThread();
    try {
      await thread.ask({ kind: 'open', path, waitMs: busyTimeoutMs, sql: setup });
      return thread;
    } catch (error) {
      await thread.terminate();
      throw error;
    }
  };
  let thread = start();
  await thread;
  let closing: Promise<void> | undefined;

  /** The worker, or another in its place if it died. */
  const alive = async (): Promise<WorkerThread> => {
    if (closing !== undefined) throw closedError();
    const current = await thread.catch(() => undefined);
    if (current && !current.gone) return current;
    thread = start();
    return thread;
  };
  const ask = async <T>(request: Request): Promise<T> => (await alive()).ask<T>(request);

  // Its own statements one at a time, as the worker runs them anyway; restartLog and close wait
  // for the work given the turn before them.
  const turn = new WritesTurn();
  const inWritesTurn = <T>(work: () => Promise<T>): Promise<T> => turn.run(work);

  return {
    inWritesTurn,
    query: (sql, ...params) => ask({ kind: 'query', sql, params: bindable(params) }),
    run: (sql, ...params) => ask({ kind: 'run', sql, params: bindable(params) }),
    exec: (sql) => ask({ kind: 'exec', sql }),
    restartLog: (waitMs) => inWritesTurn(() => ask({ kind: 'restart', waitMs })),
    close() {
      closing ??= inWritesTurn(async () => {
        const current = await thread.catch(() => undefined);
        if (!current || current.gone) return;
        try {
          await current.ask({ kind: 'close' });
        } finally {
          await current.terminate();
        }
      });
      return closing;
    },
  };
}
