/**
 * The Redis of this test run (picked by redis-global-setup.ts), and a database of one's own in
 * it. The Redis may be shared (a developer's, or another run's at the same time), so a test never
 * writes to database 0 nor to a database it has not claimed, and empties only what it claimed.
 */
import { createClient } from '@redis/client';
import { inject } from 'vitest';

/** What the global setup hands to tests: a Redis URL, or why there is none. */
export type ProvidedRedis = { url: string } | { unavailable: string };

declare module 'vitest' {
  export interface ProvidedContext {
    redis: ProvidedRedis;
  }
}

/** The run's Redis. Throws (the test fails, it is never skipped) when the run has none. */
export function redisUrl(): string {
  const redis = inject('redis');
  if ('url' in redis) return redis.url;
  throw new Error(redis.unavailable);
}

export interface RedisDb {
  /** The run's Redis URL with this database's number as its path. */
  url: string;
  db: number;
  /** Empties the database and frees it for the next claimer. */
  release(): Promise<void>;
}

const LEASE_KEY = 'flock-test:lease';
/** Marks a database as a test database, so leftovers of a crashed run may be flushed. */
const MARKER_KEY = 'flock-test:marker';
const LEASE_MS = 10 * 60_000;

/**
 * Claims one of databases 1–15 for the caller alone: one nobody else holds (a lease key, set
 * with NX, in the database itself) and that holds nothing but test data (empty, or marked by an
 * earlier test run). Databases with anything else in them are left alone.
 */
export async function claimRedisDb(baseUrl = redisUrl()): Promise<RedisDb> {
  const client = createClient({ url: baseUrl });
  client.on('error', () => undefined);
  await client.connect();
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  try {
    for (let db = 1; db <= 15; db += 1) {
      await client.select(db);
      if ((await client.set(LEASE_KEY, token, { NX: true, PX: LEASE_MS })) !== 'OK') continue;
      const size = await client.dbSize();
      const marked = (await client.exists(MARKER_KEY)) === 1;
      if (size > 1 && !marked) {
        await client.del(LEASE_KEY);
        continue;
      }
      await client.multi().flushDb().set(LEASE_KEY, token, { PX: LEASE_MS }).set(MARKER_KEY, '1').exec();
      return { url: withDb(baseUrl, db), db, release: () => release(baseUrl, db, token) };
    }
  } finally {
    await client.close();
  }
  throw new Error(`No free Redis database (1–15) at ${baseUrl} for this test.`);
}

async function release(baseUrl: string, db: number, token: string): Promise<void> {
  const client = createClient({ url: withDb(baseUrl, db) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // Only while the lease is still ours: past it, another test may have claimed the database.
    if ((await client.get(LEASE_KEY)) === token) await client.flushDb();
  } finally {
    await client.close();
  }
}

function withDb(baseUrl: string, db: number): string {
  const url = new URL(baseUrl);
  url.pathname = `/${db}`;
  return url.toString();
}
