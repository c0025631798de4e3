/**
 * Picks the Redis for the whole test run, as `npm test` picks Chromium: REDIS_URL when given;
 * else the local Redis on 127.0.0.1:6379 when it answers; else a redis-server of the run's own
 * on a free port, stopped when the run ends. Tests read it with redisUrl() (./redis.ts).
 */
import type { TestProject } from 'vitest/node';
import type { ProvidedRedis } from './redis.js';
import { pingRedis, startRedisServer } from './redis-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { redis, stop } = await pickRedis();
  project.provide('redis', redis);
  return stop;
}

async function pickRedis(): Promise<{ redis: ProvidedRedis; stop: () => Promise<void> }> {
  const none = async () => undefined;
  const given = process.env.REDIS_URL;
  if (given) return { redis: { url: given }, stop: none };
  if (await pingRedis('127.0.0.1', 6379)) return { redis: { url: 'redis://127.0.0.1:6379' }, stop: none };
  try {
    const server = await startRedisServer();
    return { redis: { url: server.url }, stop: server.stop };
  } catch (error) {
    // The tests that need Redis fail with this; the others still run.
    const reason = error instanceof Error ? error.message : String(error);
    return { redis: { unavailable: `No Redis for this test run: ${reason}` }, stop: none };
  }
}
