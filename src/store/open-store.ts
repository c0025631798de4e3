/**
 * One Keyv namespace per kind of record, all over the single STORE_URL. SQLite is the embedded
 * default; Redis and Postgres work when their Keyv adapter is installed, for operators who run
 * several processes.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';

export interface Store {
  /** The Keyv for one kind of record. The same name always returns the same instance. */
  namespace<T>(name: string): Keyv<T>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

export async function openStore(url: string): Promise<Store> {
  const makeAdapter = await adapterFactory(url);
  const namespaces = new Map<string, Keyv>();
  return {
    namespace<T>(name: string): Keyv<T> {
      let keyv = namespaces.get(name);
      if (!keyv) {
        // An adapter carries its namespace, so each namespace gets its own adapter; for SQLite
        // that is one connection each to the same file, which busyTimeout keeps from colliding.
        keyv = new Keyv({ store: makeAdapter(), namespace: name });
        keyv.on('error', () => {
          // Keyv emits errors and also rejects the call that failed; the caller handles those.
        });
        namespaces.set(name, keyv);
      }
      return keyv as Keyv<T>;
    },
    async close() {
      await Promise.all([...namespaces.values()].map((keyv) => keyv.disconnect()));
      namespaces.clear();
    },
  };
}

async function adapterFactory(url: string): Promise<() => KeyvStoreAdapter> {
  const sqlite = /^sqlite:\/\/(.+)$/.exec(url);
  if (sqlite?.[1]) {
    const path = sqlite[1];
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    const uri = path === ':memory:' ? 'sqlite://:memory:' : `sqlite://${resolve(path)}`;
    return () => {
      const adapter = new KeyvSqlite({ uri, busyTimeout: 10_000 });
      // WAL lets readers and the writer work at once, and NORMAL syncs at checkpoints instead of
      // every commit; a crash still leaves every record whole (a transaction is all or nothing).
      void adapter.query('PRAGMA journal_mode=WAL').catch(() => undefined);
      void adapter.query('PRAGMA synchronous=NORMAL').catch(() => undefined);
      return adapter as unknown as KeyvStoreAdapter;
    };
  }
  const pkg = /^rediss?:/.test(url)
    ? '@keyv/redis'
    : /^postgres(ql)?:/.test(url)
      ? '@keyv/postgres'
      : undefined;
  if (!pkg) throw new StoreError('STORE_URL is not a supported store (sqlite://, redis:// or postgres://).');
  let mod: { default: new (url: string) => KeyvStoreAdapter };
  try {
    mod = (await import(pkg)) as typeof mod;
  } catch {
    throw new StoreError(`STORE_URL needs the ${pkg} package: run npm install ${pkg}.`);
  }
  return () => new mod.default(url);
}
