import { createClient } from '@redis/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Store, StoreError, StoreUnavailableError } from '../../src/store/open-store.js';
import { claimRedisDb, type RedisDb } from '../support/redis.js';
import { freePort, type RedisServer, startRedisServer } from '../support/redis-server.js';

async function connect(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
type Client = Awaited<ReturnType<typeof connect>>;

describe('the Redis store', () => {
  let db: RedisDb;
  let store: Store;
  let redis: Client;
  beforeEach(async () => {
    db = await claimRedisDb();
    store = await openStore(db.url);
    redis = await connect(db.url);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    await redis.close();
    await db.release();
  });

  it('keeps namespaces apart, down to clearing one, with keys laid out as namespace:key', async () => {
    const a = store.namespace<string>('a');
    const b = store.namespace<string>('b');
    await a.set('k', 'from a');
    await b.set('k', 'from b');
    await b.set('k2', 'also b');
    expect(await a.get('k')).toBe('from a');
    expect((await redis.keys('[ab]:*')).sort()).toEqual(['a:k', 'b:k', 'b:k2']);
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBe('from b');
    const listed: [string, string][] = [];
    if (b.iterator) for await (const [key, value] of b.iterator(undefined)) listed.push([String(key), value]);
    expect(listed.sort()).toEqual([
      ['k', 'from b'],
      ['k2', 'also b'],
    ]);
    expect(store.namespace('a')).toBe(a);
  });

  it('sets, reads and deletes, and a record with a TTL has one in Redis', async () => {
    const links = store.namespace<{ name: string }>('links');
    await links.set('1', { name: 'alice' }, 60_000);
    await links.set('2', { name: 'bob' });
    expect(await links.get('1')).toEqual({ name: 'alice' });
    const ttl = await redis.pTTL('links:1');
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await redis.pTTL('links:2')).toBe(-1);
    expect(await links.has('2')).toBe(true);
    expect(await links.delete('2')).toBe(true);
    expect(await links.get('2')).toBeUndefined();
    expect(await redis.exists('links:2')).toBe(0);
  });

  it('hands a record to exactly one of twenty concurrent takers, and removes it', async () => {
    await store.namespace<{ owner: string }>('link-attempts').set('a1', { owner: 'alice' }, 60_000);
    const taken = await Promise.all(
      Array.from({ length: 20 }, () => store.take<{ owner: string }>('link-attempts', 'a1')),
    );
    expect(taken.filter((value) => value !== undefined)).toEqual([{ owner: 'alice' }]);
    expect(await redis.exists('link-attempts:a1')).toBe(0);
    expect(await store.take('link-attempts', 'a1')).toBeUndefined();
  });

  it('takes only from its own namespace', async () => {
    await store.namespace<string>('a').set('k', 'from a');
    await store.namespace<string>('b').set('k', 'from b');
    expect(await store.take<string>('a', 'k')).toBe('from a');
    expect(await store.namespace<string>('b').get('k')).toBe('from b');
  });

  it('reports an expired record as absent, whether Redis or Keyv’s clock saw it expire first', async () => {
    const attempts = store.namespace<string>('link-attempts');
    await attempts.set('brief', 'gone soon', 50);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await attempts.get('brief')).toBeUndefined();
    expect(await store.take('link-attempts', 'brief')).toBeUndefined();

    await attempts.set('old', 'stale', 10 * 60_000);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 60_000 });
    expect(await store.take<string>('link-attempts', 'old')).toBeUndefined();
    expect(await redis.exists('link-attempts:old')).toBe(0);
  });

  it('takes a TTL that is fractional or already past, as SQLite does', async () => {
    const pages = store.namespace<string>('x-pages');
    await pages.set('fraction', 'kept', 1_500.5);
    await pages.set('past', 'gone', -5);
    expect(await pages.get('fraction')).toBe('kept');
    expect(await redis.pTTL('x-pages:fraction')).toBeGreaterThan(1_000);
    expect(await pages.get('past')).toBeUndefined();
  });

  it('leaves expiry to Redis: a sweep has nothing to do, and a ping answers', async () => {
    await store.namespace<string>('n').set('k', 'v', 60_000);
    expect(await store.sweepExpired()).toBe(0);
    expect(await store.ping()).toBe(true);
  });
});

describe('a Redis store that cannot reach Redis', () => {
  it('fails to open within a few seconds with one line naming STORE_URL, and no password', async () => {
    const port = await freePort();
    const started = Date.now();
    const error: unknown = await openStore(`redis://flock:secret@127.0.0.1:${port}/3`).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as Error).message;
    expect(message).toBe(
      `STORE_URL: Redis at redis://127.0.0.1:${port}/3 is not answering (ECONNREFUSED); start it, or correct STORE_URL.`,
    );
  });

  describe('while its Redis is away', () => {
    let server: RedisServer | undefined;
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      await server?.stop();
    });

    it('refuses every call at once, keeps one connection, and works again once Redis is back', async () => {
      server = await startRedisServer();
      const { port } = server;
      store = await openStore(server.url);
      const names = ['a', 'b', 'c', 'd', 'e'];
      for (const name of names) await store.namespace<string>(name).set('k', name);
      const watcher = await connect(server.url);
      // One client for every namespace, and the watcher's own.
      expect(await watcher.info('clients')).toMatch(/connected_clients:2\r?\n/);
      await watcher.close();

      await server.stop();
      const a = store.namespace<string>('a');
      const calls: Array<() => Promise<unknown>> = [
        () => a.get('k'),
        () => a.set('k', 'v'),
        () => a.delete('k'),
        () => a.has('k'),
        () => a.clear(),
        () => a.iterator?.(undefined).next() ?? Promise.resolve(),
        () => store?.take('a', 'k') ?? Promise.resolve(),
      ];
      for (const call of calls) {
        const started = Date.now();
        await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(1_000);
      }
      expect(await store.ping()).toBe(false);

      server = await startRedisServer({ port });
      const deadline = Date.now() + 15_000;
      while (!(await store.ping())) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await a.set('k', 'back');
      expect(await a.get('k')).toBe('back');
      expect(await store.take('a', 'k')).toBe('back');
    });
  });
});
