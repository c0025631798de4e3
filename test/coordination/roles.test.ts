import { createClient } from '@redis/client';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalLeases } from '../../src/coordination/leases.js';
import { connectCoordinationClient } from '../../src/coordination/redis-coordination.js';
import { RedisLeases } from '../../src/coordination/redis-leases.js';
import { type Role, Roles } from '../../src/coordination/roles.js';
import { silentLogger as log } from '../../src/log.js';
import { claimRedisDb, type RedisDb } from '../support/redis.js';
import { startRedisServer } from '../support/redis-server.js';
import { sleep } from './timing.js';

const TTL_MS = 1_000;
const RETRY_MS = 100;

/** A role that records when it runs, as the alerts schedule or the sweeper would. */
function recordingRole(name: string, running: Map<string, number>, fences: number[] = []): Role {
  return {
    name,
    start: (fence) => {
      fences.push(fence);
      running.set(name, (running.get(name) ?? 0) + 1);
    },
    stop: async () => {
      await sleep(5);
      running.set(name, (running.get(name) ?? 0) - 1);
    },
  };
}

async function until(check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(10);
  }
  return Date.now() - started;
}

describe('Roles over Redis leases', () => {
  let db: RedisDb;
  let clients: Redis[];
  let processes: Roles[];

  /** A Flock process, as far as roles go: a coordination connection and its roles. */
  const startProcess = async (roles: Role[], url = db.url) => {
    const client = await connectCoordinationClient(url);
    clients.push(client);
    const process = new Roles({ leases: new RedisLeases(client), log, ttlMs: TTL_MS, retryMs: RETRY_MS });
    for (const role of roles) process.add(role);
    processes.push(process);
    await process.start();
    return { client, roles: process };
  };

  beforeEach(async () => {
    db = await claimRedisDb();
    clients = [];
    processes = [];
  });
  afterEach(async () => {
    for (const process of processes) await process.stop().catch(() => undefined);
    for (const client of clients) client.disconnect();
    await db.release();
  });

  it('runs each role in exactly one of three processes, and spreads nothing twice', async () => {
    const running = new Map<string, number>();
    const all = await Promise.all(
      [0, 1, 2].map(() =>
        startProcess([recordingRole('alerts', running), recordingRole('sweeper', running)]),
      ),
    );
    await sleep(RETRY_MS * 5);
    expect(running.get('alerts')).toBe(1);
    expect(running.get('sweeper')).toBe(1);
    const held = all.flatMap((p) => p.roles.held());
    expect(held.sort()).toEqual(['alerts', 'sweeper']);
  });

  it('hands a role on at once when its holder stops, with a larger fence', async () => {
    const running = new Map<string, number>();
    const fences: number[] = [];
    const a = await startProcess([recordingRole('alerts', running, fences)]);
    const b = await startProcess([recordingRole('alerts', running, fences)]);
    expect(a.roles.held()).toEqual(['alerts']);
    expect(b.roles.held()).toEqual([]);
    await a.roles.stop();
    expect(a.roles.held()).toEqual([]);
    const waited = await until(() => b.roles.held().includes('alerts'), TTL_MS);
    // The standby's next try, not the lease's TTL.
    expect(waited).toBeLessThanOrEqual(RETRY_MS * 3);
    expect(running.get('alerts')).toBe(1);
    expect(fences).toHaveLength(2);
    expect(fences[1]).toBeGreaterThan(fences[0] ?? Number.POSITIVE_INFINITY);
  });

  it('moves a dead holder’s role to another process within the TTL and a retry', async () => {
    const running = new Map<string, number>();
    const a = await startProcess([recordingRole('alerts', running)]);
    const b = await startProcess([recordingRole('alerts', running)]);
    expect(a.roles.held()).toEqual(['alerts']);
    // Dead as far as Redis can tell: no renewal, no release.
    a.client.disconnect();
    const waited = await until(() => b.roles.held().includes('alerts'), TTL_MS * 3);
    expect(waited).toBeLessThanOrEqual(TTL_MS + RETRY_MS * 4);
    // The old holder stopped its work by then: it could not renew either.
    expect(a.roles.held()).toEqual([]);
    expect(running.get('alerts')).toBe(1);
  });

  it('stops the role in a holder that cannot reach Redis past the TTL, and takes it back when Redis returns', async () => {
    let server = await startRedisServer();
    try {
      const running = new Map<string, number>();
      const a = await startProcess([recordingRole('alerts', running)], server.url);
      expect(a.roles.held()).toEqual(['alerts']);
      await server.stop();
      await until(() => running.get('alerts') === 0, TTL_MS * 2);
      expect(a.roles.held()).toEqual([]);
      server = await startRedisServer({ port: server.port });
      await until(() => a.roles.held().includes('alerts'), 10_000);
      expect(running.get('alerts')).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('gives a role up when starting it fails, so another process may try', async () => {
    const running = new Map<string, number>();
    let stops = 0;
    const broken: Role = {
      name: 'alerts',
      start: () => {
        throw new Error('cannot start');
      },
      stop: async () => {
        stops += 1;
      },
    };
    const a = await startProcess([broken]);
    expect(a.roles.held()).toEqual([]);
    expect(stops).toBeGreaterThanOrEqual(1);
    await a.roles.stop();
    const b = await startProcess([recordingRole('alerts', running)]);
    expect(b.roles.held()).toEqual(['alerts']);
  });

  it('keeps the fence counter in Redis, growing with every acquisition', async () => {
    const redis = createClient({ url: db.url });
    await redis.connect();
    try {
      const fences: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const p = await startProcess([recordingRole('alerts', new Map(), fences)]);
        await p.roles.stop();
      }
      expect(fences).toEqual([1, 2, 3]);
      expect(await redis.get('lease-fence:role:alerts')).toBe('3');
      expect(await redis.exists('lease:role:alerts')).toBe(0);
    } finally {
      await redis.close();
    }
  });
});

describe('Roles in one process', () => {
  it('holds every role at once and never loses one', async () => {
    const running = new Map<string, number>();
    const roles = new Roles({ leases: new LocalLeases(), log });
    roles.add(recordingRole('alerts', running));
    roles.add(recordingRole('sweeper', running));
    await roles.start();
    expect(roles.held()).toEqual(['alerts', 'sweeper']);
    await roles.stop();
    expect(roles.held()).toEqual([]);
    expect(running.get('alerts')).toBe(0);
  });
});
