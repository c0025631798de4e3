/**
 * RedisLocks and RedisLeases over one ioredis connection of the process's own (redlock speaks
 * ioredis; the store keeps its @redis/client one). As with the store, a call while Redis is
 * away fails at once with StoreUnavailableError while the connection retries in the background.
 */
import { Redis } from 'ioredis';
import { StoreError } from '../store/store-error.js';
import type { Coordination, CoordinationOptions } from './coordination.js';
import { RedisLeases } from './redis-leases.js';
import { RedisLocks } from './redis-locks.js';

/** How long opening waits for Redis's first answer. */
const START_TIMEOUT_MS = 3_000;
const RECONNECT_CAP_MS = 5_000;
/** A Redis that is connected but silent (stopped, overloaded) fails a call after this long. */
const COMMAND_TIMEOUT_MS = 2_000;

export async function openRedisCoordination(
  url: string,
  options: CoordinationOptions,
): Promise<Coordination> {
  const client = await connectCoordinationClient(url);
  let locks: RedisLocks;
  let leases: RedisLeases;
  try {
    locks = new RedisLocks(client, { ttlMs: options.lockTtlMs, waitMs: options.lockWaitMs });
    leases = new RedisLeases(client);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  // Left by an older Flock; nothing waits for it, and another start tries again if it fails.
  void leases.sweepStaleFences().catch(() => undefined);
  let closing: Promise<void> | undefined;
  return {
    locks,
    leases,
    redis: client,
    close() {
      closing ??= (async () => {
        try {
          await leases.releaseAll();
        } finally {
          if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
          else client.disconnect();
        }
      })();
      return closing;
    },
  };
}

/**
 * The coordination's own connection, ready; rejects with StoreError when Redis does not answer
 * within a few seconds.
 */
export async function connectCoordinationClient(url: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    // A call cut off by a lost connection fails rather than being sent again on reconnection.
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Jittered, so that several processes do not reconnect in step.
    retryStrategy: (times) => Math.min(100 * 2 ** times, RECONNECT_CAP_MS) + Math.floor(Math.random() * 100),
  });
  // The client retries by itself; errors reach the callers whose calls failed.
  client.on('error', () => undefined);
  await connectAtStart(client, url);
  return client;
}

async function connectAtStart(client: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), START_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    client.disconnect();
    const code = (error as { code?: unknown }).code;
    throw new StoreError(
      `STORE_URL: Redis at ${describe(url)} is not answering the coordination connection` +
        `${typeof code === 'string' ? ` (${code})` : ''}; start it, or correct STORE_URL.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The address without credentials, for messages. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'an address that is not a URL';
  }
}
