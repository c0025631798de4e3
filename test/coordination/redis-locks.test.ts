import { createClient } from '@redis/client';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockLostError, LockWaitTimeoutError } from '../../src/coordination/errors.js';
import { connectCoordinationClient } from '../../src/coordination/redis-coordination.js';
import { RedisLocks, type RedisLocksOptions } from '../../src/coordination/redis-locks.js';
import { StoreUnavailableError } from '../../src/store/store-error.js';
import { claimRedisDb, type RedisDb } from '../support/redis.js';
import { startRedisServer } from '../support/redis-server.js';
import { deferred, sleep, whenAborted } from './timing.js';

const TTL_MS = 1_000;

async function connect(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('RedisLocks', () => {
  let db: RedisDb;
  let clients: Redis[];
  let redis: Awaited<ReturnType<typeof connect>>;
  /** A Flock process, as far as locks go: a connection of its own, and locks on it. */
  const startProcess = async (options: RedisLocksOptions = {}, url = db.url) => {
    const client = await connectCoordinationClient(url);
    clients.push(client);
    return { client, locks: new RedisLocks(client, { ttlMs: TTL_MS, waitMs: 10_000, ...options }) };
  };

  beforeEach(async () => {
    db = await claimRedisDb();
    clients = [];
    redis = await connect(db.url);
  });
  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await redis.close();
    await db.release();
  });

  it('runs the tasks of two processes on one key strictly one at a time', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    let running = 0;
    let most = 0;
    const spans: [number, number][] = [];
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      const start = performance.now();
      await sleep(10);
      spans.push([start, performance.now()]);
      running -= 1;
    };
    const runs: Promise<void>[] = [];
    for (let i = 0; i < 8; i += 1) runs.push(a.locks.run('shared', task), b.locks.run('shared', task));
    await Promise.all(runs);
    expect(spans).toHaveLength(16);
    expect(most).toBe(1);
    spans.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i += 1)
      expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? Number.POSITIVE_INFINITY);
  });

  it('keeps the key for a task that runs longer than the TTL', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const started = deferred();
    let aEnded = 0;
    let aSignal: AbortSignal | undefined;
    const first = a.locks.run('long', async (signal) => {
      aSignal = signal;
      started.resolve();
      await sleep(TTL_MS * 2.5);
      aEnded = performance.now();
    });
    await started.promise;
    let bStarted = 0;
    const second = b.locks.run('long', async () => {
      bStarted = performance.now();
    });
    await sleep(TTL_MS * 1.5);
    expect(await redis.pTTL('lock:long')).toBeGreaterThan(0);
    await Promise.all([first, second]);
    expect(bStarted).toBeGreaterThanOrEqual(aEnded);
    expect(aSignal?.aborted).toBe(false);
  });

  it('releases the key when the task ends, whether it resolves or rejects', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    await a.locks.run('k', async () => {
      const ttl = await redis.pTTL('lock:k');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TTL_MS);
    });
    expect(await redis.exists('lock:k')).toBe(0);
    await expect(
      a.locks.run('k', async () => {
        throw new Error('the task failed');
      }),
    ).rejects.toThrow('the task failed');
    expect(await redis.exists('lock:k')).toBe(0);
    const asked = Date.now();
    await expect(b.locks.run('k', async () => Date.now() - asked)).resolves.toBeLessThan(TTL_MS / 2);
  });

  it('gives up waiting with a clear error once its wait runs out', async () => {
    const a = await startProcess();
    const b = await startProcess({ waitMs: 300 });
    const started = deferred();
    const done = deferred();
    const held = a.locks.run('busy', async () => {
      started.resolve();
      await done.promise;
    });
    await started.promise;
    const asked = Date.now();
    const waited = b.locks.run('busy', async () => 'ran');
    await expect(waited).rejects.toBeInstanceOf(LockWaitTimeoutError);
    await expect(waited).rejects.toThrow('Gave up on the lock "busy" after 0 s: another process holds it.');
    expect(Date.now() - asked).toBeGreaterThanOrEqual(300);
    expect(Date.now() - asked).toBeLessThan(1_500);
    done.resolve();
    await held;
  });

  it('hands the key to another process within the TTL when its holder dies, and tells the holder first', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const started = deferred();
    const aRun = a.locks.run('k', async (signal) => {
      started.resolve();
      const at = await whenAborted(signal);
      return { at, reason: signal.reason as unknown };
    });
    await started.promise;
    // The process is gone as far as Redis can tell: no renewal, no release.
    a.client.disconnect();
    const killedAt = Date.now();
    const bStartedAt = await b.locks.run('k', async () => Date.now());
    // Not before the key had expired (its last renewal was at most a third of the TTL before)…
    expect(bStartedAt - killedAt).toBeGreaterThanOrEqual(TTL_MS / 2);
    // …and soon after it did, not at the end of B's 30-second wait (a loaded machine's timers run late).
    expect(bStartedAt - killedAt).toBeLessThanOrEqual(TTL_MS * 2);
    // …and the old holder knew by then.
    const lost = await aRun;
    expect(lost.reason).toBeInstanceOf(LockLostError);
    expect(lost.at).toBeLessThanOrEqual(bStartedAt + 20);
  });

  it('runs the callers of one key in one process in the order they came', async () => {
    const a = await startProcess();
    const events: string[] = [];
    await Promise.all(
      [40, 0, 20, 0, 10].map((ms, i) =>
        a.locks.run('ordered', async () => {
          events.push(`start ${i}`);
          await sleep(ms);
          events.push(`end ${i}`);
        }),
      ),
    );
    expect(events).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`start ${i}`, `end ${i}`]));
  });

  it('tells the task at its next renewal when the key was taken away', async () => {
    const a = await startProcess();
    const started = deferred();
    const aRun = a.locks.run('k', async (signal) => {
      started.resolve();
      const at = await whenAborted(signal);
      return { at, reason: signal.reason as unknown };
    });
    await started.promise;
    await redis.del('lock:k');
    const deletedAt = Date.now();
    const lost = await aRun;
    // A renewal comes every third of the TTL: well before the key would have expired.
    expect(lost.at - deletedAt).toBeLessThan(TTL_MS * 0.7);
    expect(lost.reason).toBeInstanceOf(LockLostError);
    expect((lost.reason as Error).message).toBe(
      'The lock "k" was lost: another holder has it, or it was deleted.',
    );
  });

  it('tells the task when Redis is away past the TTL, and refuses new tasks at once meanwhile', async () => {
    const server = await startRedisServer();
    try {
      const a = await startProcess({}, server.url);
      const started = deferred();
      const aRun = a.locks.run('k', async (signal) => {
        started.resolve();
        await whenAborted(signal);
        return signal.reason as unknown;
      });
      await started.promise;
      await server.stop();
      const stoppedAt = Date.now();
      // The task's own result stands, though the release cannot reach Redis.
      const reason = await aRun;
      expect(reason).toBeInstanceOf(LockLostError);
      expect((reason as Error).message).toBe('The lock "k" was lost: Redis did not renew it within its TTL.');
      expect(Date.now() - stoppedAt).toBeLessThanOrEqual(TTL_MS + 200);
      const asked = Date.now();
      await expect(a.locks.run('other', async () => 'ran')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - asked).toBeLessThan(500);
    } finally {
      await server.stop();
    }
  });
});
