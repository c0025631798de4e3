/**
 * One Keyv namespace per kind of record, all over the single STORE_URL. SQLite is the embedded
 * default and serves one process (see sqlite-file.ts); Redis has an engine of its own
 * (redis-engine.ts), loaded only when STORE_URL names it; Postgres works when its Keyv adapter is
 * installed.
 */
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { type Engine, hasExpired, liveValue } from './engine.js';
import { connectSqlite, type SqliteConnection } from './sqlite-connection.js';
import { CREATE_TABLE, KEYV_TABLE, openSqliteFile, type SqliteFile, sweepInChunks } from './sqlite-file.js';
import { StoreError } from './store-error.js';

export { StoreError, StoreUnavailableError } from './store-error.js';

export interface Store {
  /** The Keyv for one kind of record. The same name always returns the same instance. */
  namespace<T>(name: string): Keyv<T>;
  /**
   * Removes a record and returns it in one step: of several callers taking the same record at
   * once, exactly one gets it. An expired record is deleted and reported as absent.
   */
  take<T>(namespace: string, key: string): Promise<T | undefined>;
  /**
   * Deletes expired records in every namespace and resolves to how many went. Keyv deletes an
   * expired record only when it is read again, so records nobody reads again need this.
   */
  sweepExpired(): Promise<number>;
  /**
   * Whether the store answers now, for /healthz: never rejects, and resolves within a few
   * seconds. SQLite, in this process, always does.
   */
  ping(): Promise<boolean>;
  /** Closes every connection (and, for SQLite, lets another process open the file). Safe to call twice. */
  close(): Promise<void>;
}

export async function openStore(url: string): Promise<Store> {
  const engine = await openEngine(url);
  const namespaces = new Map<string, Keyv>();
  const namespace = <T>(name: string): Keyv<T> => {
    let keyv = namespaces.get(name);
    if (!keyv) {
      keyv = engine.makeKeyv(name);
      keyv.on('error', () => {
        // Keyv also emits what it rejects with (on Redis, every failed call rejects); the
        // caller handles those.
      });
      namespaces.set(name, keyv);
    }
    return keyv as Keyv<T>;
  };
  let closing: Promise<void> | undefined;
  return {
    namespace,
    take: async <T>(name: string, key: string) => (await engine.take(namespace(name), key)) as T | undefined,
    sweepExpired: () => engine.sweepExpired([...namespaces.values()]),
    ping: () => engine.ping(),
    close() {
      closing ??= (async () => {
        try {
          await Promise.all([...namespaces.values()].map((keyv) => keyv.disconnect()));
        } finally {
          namespaces.clear();
          // The lock goes last, and whatever happened before it.
          await engine.close();
        }
      })();
      return closing;
    },
  };
}

async function openEngine(url: string): Promise<Engine> {
  const sqlite = /^sqlite:\/\/(.+)$/.exec(url);
  if (sqlite?.[1])
    return sqliteEngine(sqlite[1] === ':memory:' ? undefined : await openSqliteFile(sqlite[1]));
  if (/^rediss?:/.test(url)) return (await import('./redis-engine.js')).openRedisEngine(url);
  const pkg = /^postgres(ql)?:/.test(url) ? '@keyv/postgres' : undefined;
  if (!pkg) throw new StoreError('STORE_URL is not a supported store (sqlite://, redis:// or postgres://).');
  let mod: { default: new (url: string) => KeyvStoreAdapter };
  try {
    mod = (await import(pkg)) as typeof mod;
  } catch {
    throw new StoreError(`STORE_URL needs the ${pkg} package: run npm install ${pkg}.`);
  }
  return {
    makeKeyv: (name) => new Keyv({ store: new mod.default(url), namespace: name }),
    take: takeByGetAndDelete,
    sweepExpired: sweepByIterating,
    // Keyv hides these adapters' connection errors (a failed get reads as a missing record).
    ping: async () => true,
    close: async () => undefined,
  };
}

/** `file` undefined is an in-memory store, gone when it closes. */
async function sqliteEngine(file: SqliteFile | undefined): Promise<Engine> {
  const connection = file?.connection ?? (await memoryConnection());
  return {
    makeKeyv(name) {
      // @keyv/sqlite's SQL and Keyv's records as they are, run on the store's one connection
      // (sqlite-connection.ts); the adapter's own connection is left to an empty in-memory
      // database it never uses. Every method of the adapter queries through `query`.
      const adapter = withSetMany(new KeyvSqlite({ uri: 'sqlite://:memory:', table: KEYV_TABLE }));
      adapter.query = connection.query;
      // A write SQLite refused (a full disk, a read-only file) rejects, as on Redis: Keyv would
      // otherwise report it as a `false` nobody reads, and a record would be taken for stored.
      return new Keyv({
        store: adapter as unknown as KeyvStoreAdapter,
        namespace: name,
        throwOnErrors: true,
      });
    },
    async take(keyv, key) {
      // One statement removes the row and hands it back, so two takers cannot both read it.
      const rows = (await connection.query(
        `DELETE FROM ${KEYV_TABLE} WHERE key = ? RETURNING value`,
        keyv._getKeyPrefix(key),
      )) as { value: string }[];
      const raw = rows[0]?.value;
      return raw === undefined ? undefined : liveValue(keyv, raw);
    },
    // Keyv judges expiry by Date.now(), so the sweep does too.
    sweepExpired: () => (file ? file.sweepExpired(Date.now()) : sweepInChunks(connection, Date.now())),
    ping: async () => true,
    close: async () => {
      if (file) await file.close();
      else await connection.close();
    },
  };
}

async function memoryConnection(): Promise<SqliteConnection> {
  const connection = await connectSqlite(':memory:', { busyTimeoutMs: 10_000 });
  await connection.exec(CREATE_TABLE);
  return connection;
}

/**
 * The most records one statement writes: two parameters each, far inside SQLite's limit of 32,766.
 * Keyv hands setMany whatever it was given, so a longer list goes in several statements.
 */
const SET_MANY_ROWS = 100;

/**
 * Gives @keyv/sqlite the setMany it lacks (Keyv then writes each record with its own statement):
 * one INSERT for many records, one transaction, for WriteBatches (write-batches.ts).
 */
function withSetMany(adapter: KeyvSqlite): KeyvSqlite {
  const setMany = async (entries: { key: string; value: unknown }[]): Promise<boolean[]> => {
    for (let from = 0; from < entries.length; from += SET_MANY_ROWS) {
      const rows = entries.slice(from, from + SET_MANY_ROWS);
      await adapter.query(
        `INSERT INTO ${KEYV_TABLE} (key, value) VALUES ${rows.map(() => '(?, ?)').join(', ')}
         ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        ...rows.flatMap((row) => [row.key, row.value]),
      );
    }
    return entries.map(() => true);
  };
  return Object.assign(adapter, { setMany });
}

/**
 * Not one atomic step, for the adapters loaded by name: a get, then a delete, and only the
 * caller whose delete removed the record gets it. That holds where the adapter's delete says
 * whether it removed anything (Postgres DELETE), barring a set between the two.
 */
async function takeByGetAndDelete(keyv: Keyv, key: string): Promise<unknown> {
  const value: unknown = await keyv.get(key);
  if (value === undefined) return undefined;
  return (await keyv.delete(key)) ? value : undefined;
}

/**
 * For the adapters loaded by name: walks each namespace opened in this process, where Keyv can
 * iterate the adapter, and deletes what has expired. Adapters without an iterator are left as
 * they are.
 */
async function sweepByIterating(namespaces: Keyv[]): Promise<number> {
  let removed = 0;
  for (const keyv of namespaces) {
    const adapter = keyv.store as KeyvStoreAdapter;
    if (!keyv.iterator || typeof adapter.iterator !== 'function') continue;
    const expired: string[] = [];
    for await (const [key, raw] of adapter.iterator(keyv.namespace)) {
      if (typeof key !== 'string' || typeof raw !== 'string') continue;
      if (keyv.namespace && !key.startsWith(`${keyv.namespace}:`)) continue;
      const data = await keyv.deserializeData<unknown>(raw);
      if (data && hasExpired(data)) expired.push(key);
    }
    // Deleted after the walk: deleting during it would shift an offset-paged iterator.
    for (const key of expired) if (await adapter.delete(key)) removed += 1;
  }
  return removed;
}
