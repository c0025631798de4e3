import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCoordinationClient } from '../../src/coordination/redis-coordination.js';
import type { Logger } from '../../src/log.js';
import {
  CostMeter,
  createSharedXState,
  createXClient,
  RateLimits,
  type SpendTally,
  XBudgetExceededError,
  type XClient,
  XRateLimitedError,
} from '../../src/x/index.js';
import type { EndpointLimits } from '../emulators/x/rate-limiter.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from '../emulators/x/server.js';
import { ManualClock } from '../support/manual-clock.js';
import { claimRedisDb, type RedisDb } from '../support/redis.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

const FOLLOWERS = 'GET /2/users/:id/followers';
const FIFTEEN_MINUTES = 15 * 60_000;

/** A Flock process, as far as X goes: its own coordination connection, buckets, meter and client. */
interface FlockProcess {
  client: XClient;
  rateLimits: RateLimits;
  costMeter: CostMeter;
  redis: Redis;
  warnings: string[];
}

describe('X rate limits and spend shared by several processes through Redis', () => {
  let clock: ManualClock;
  let emulator: XEmulator;
  let db: RedisDb;
  let server: RedisServer | undefined;
  let processes: FlockProcess[];

  const startEmulator = async (limits: Record<string, EndpointLimits> = {}) => {
    emulator = await startXEmulator({ clock, limits });
    return emulator;
  };

  const startProcess = async (options: { budgetUsd?: number; redisUrl?: string } = {}) => {
    const redis = await connectCoordinationClient(options.redisUrl ?? db.url);
    const shared = createSharedXState(redis, clock);
    const rateLimits = new RateLimits(clock, { shared: shared.buckets });
    const costMeter = new CostMeter(clock, options.budgetUsd, { shared: shared.spend });
    const warnings: string[] = [];
    const log: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => void warnings.push(message),
      error: () => undefined,
      child: () => log,
    };
    const client = createXClient({
      apiUrl: emulator.url,
      bearerToken: DEFAULT_BEARER,
      clock,
      rateLimits,
      costMeter,
      log,
      timeoutMs: 2_000,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    const started = { client, rateLimits, costMeter, redis, warnings };
    processes.push(started);
    return started;
  };

  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (error: unknown) => error,
    );

  beforeEach(async () => {
    clock = new ManualClock();
    db = await claimRedisDb();
    processes = [];
    server = undefined;
  });
  afterEach(async () => {
    for (const { redis } of processes) redis.disconnect();
    await emulator?.close();
    await server?.stop();
    await db.release();
  });

  it('a bucket one process spent down is empty for the other, which sends nothing', async () => {
    await startEmulator({ [FOLLOWERS]: { app: 2 } });
    const [a, b] = [await startProcess(), await startProcess()];
    const star = emulator.world.addUser({ username: 'star' });
    await a.client.followers(star.id, { maxResults: 5 });
    await a.client.followers(star.id, { maxResults: 5 });
    expect(a.rateLimits.get(`${FOLLOWERS} app`)).toMatchObject({ limit: 2, remaining: 0 });

    const error = (await refusal(b.client.followers(star.id, { maxResults: 5 }))) as XRateLimitedError;
    expect(error).toBeInstanceOf(XRateLimitedError);
    expect(error.message).toContain('nothing was sent');
    expect(error.local).toBe(true);
    expect(error.resetAt).toBe(a.rateLimits.get(`${FOLLOWERS} app`)?.resetAt);
    expect(emulator.requests('/followers')).toHaveLength(2);
  });

  it('two processes firing at once send exactly the limit in the window, and X answers none with 429', async () => {
    await startEmulator({ 'GET /2/users/:id': { app: 6 } });
    const [a, b] = [await startProcess(), await startProcess()];
    const star = emulator.world.addUser({ username: 'star' });
    // The window is known only once X has answered on it: one request opens it.
    await a.client.userById(star.id);

    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => [a.client.userById(star.id), b.client.userById(star.id)]).flat(),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect(result.reason).toMatchObject({ kind: 'rate-limited', local: true });
    expect(emulator.requests('GET /2/users/').map((r) => r.status)).toEqual(Array(6).fill(200));
  });

  it('counts one process’s requests still in flight when X first describes a window, for the other', async () => {
    await startEmulator({ 'GET /2/users/:id': { app: 5 } });
    const [a, b] = [await startProcess(), await startProcess()];
    const star = emulator.world.addUser({ username: 'star' });
    // Two of A's three first requests reach X late: its first answer says 4 are left, though 2 are on their way.
    emulator.faults.add({ match: 'GET /2/users/', latencyMs: 300, times: 2 });
    const aCalls = Array.from({ length: 3 }, () => a.client.userById(star.id));
    await Promise.race(aCalls);

    const bResults = await Promise.allSettled(Array.from({ length: 5 }, () => b.client.userById(star.id)));
    await Promise.all(aCalls);
    expect(bResults.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(emulator.requests('GET /2/users/').map((r) => r.status)).toEqual(Array(5).fill(200));
  });

  it('a user billed by one process today is not billed again by the other, and one budget holds for both', async () => {
    await startEmulator();
    const [a, b] = [await startProcess({ budgetUsd: 0.15 }), await startProcess({ budgetUsd: 0.15 })];
    const star = emulator.world.addUser({ username: 'star' });
    const fans = emulator.world.addUsers(30, 'f');
    for (const fan of fans) emulator.world.follow(fan.id, star.id);

    const aTally: SpendTally = { users: 0, events: 0 };
    const bTally: SpendTally = { users: 0, events: 0 };
    const page = await a.client.followers(star.id, { maxResults: 10, tally: aTally });
    await b.client.followers(star.id, { maxResults: 10, tally: bTally });
    expect(aTally.users).toBe(10);
    expect(bTally.users).toBe(0);
    expect(a.costMeter.today()).toEqual(emulator.billing.day());
    expect(b.costMeter.today()).toEqual(emulator.billing.day());
    expect(b.costMeter.today()).toMatchObject({ billableUsers: 10, usd: 0.1 });
    expect(b.client.canAfford(5)).toBe(true);
    expect(b.client.canAfford(6)).toBe(false);

    // A spends the rest of the budget: B's next read is refused before it is sent.
    const billed = new Set(page.users.map((u) => u.id));
    const unbilled = fans.filter((f) => !billed.has(f.id)).slice(0, 5);
    await a.client.usersByIds(unbilled.map((f) => f.id));
    const sent = emulator.requests().length;
    const error = await refusal(b.client.followers(star.id, { maxResults: 10 }));
    expect(error).toBeInstanceOf(XBudgetExceededError);
    expect(emulator.requests()).toHaveLength(sent);
    expect(b.client.canAfford(1)).toBe(false);
    expect(b.costMeter.today()).toEqual(emulator.billing.day());
    expect(b.costMeter.today()).toMatchObject({ billableUsers: 15, usd: 0.15 });
  });

  it('counts every process’s follows and Activity events in today’s spend', async () => {
    await startEmulator();
    const [a, b] = [await startProcess(), await startProcess()];
    const [fan, star] = emulator.world.addUsers(2, 'w');
    const fanId = fan?.id ?? '';
    const auth = {
      key: fanId,
      accessToken: emulator.auth.mintTokens(fanId, DEFAULT_CLIENT_ID, [
        'tweet.read',
        'users.read',
        'follows.write',
      ]).access_token,
    };
    await a.client.follow(auth, fanId, star?.id ?? '');
    await b.client.unfollow(auth, fanId, star?.id ?? '');
    expect(a.client.billEvents(['e1', 'e2'])).toBe(2);
    expect(b.client.billEvents(['e2', 'e3'])).toBe(2);
    // Events reach Redis in the background; `share` (as each read does first) waits for them.
    await a.costMeter.share();
    await b.costMeter.share();
    await a.client.userById(fanId);
    await b.client.userById(fanId);
    const expected = { billableUsers: 1, writes: 2, billableEvents: 3, usd: 0.07 };
    expect(a.costMeter.today()).toMatchObject(expected);
    expect(b.costMeter.today()).toMatchObject(expected);
  });

  it('takes a window that has reset from X’s headers again, for both processes', async () => {
    await startEmulator({ [FOLLOWERS]: { app: 2 } });
    const [a, b] = [await startProcess(), await startProcess()];
    const star = emulator.world.addUser({ username: 'star' });
    await a.client.followers(star.id, { maxResults: 5 });
    await a.client.followers(star.id, { maxResults: 5 });
    const spent = (await refusal(b.client.followers(star.id, { maxResults: 5 }))) as XRateLimitedError;
    expect(spent).toMatchObject({ kind: 'rate-limited', local: true });

    clock.set(spent.resetAt + 1_000);
    await b.client.followers(star.id, { maxResults: 5 });
    expect(b.rateLimits.get(`${FOLLOWERS} app`)).toMatchObject({ remaining: 1 });
    expect(b.rateLimits.get(`${FOLLOWERS} app`)?.resetAt).toBeGreaterThan(
      clock.now() + FIFTEEN_MINUTES - 2_000,
    );
    await a.client.followers(star.id, { maxResults: 5 });
    await expect(b.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({ local: true });
    await expect(a.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({ local: true });
    expect(emulator.requests('/followers').map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('goes on with each process’s own knowledge while Redis is away, without hanging', async () => {
    server = await startRedisServer();
    await startEmulator({ [FOLLOWERS]: { app: 3 } });
    const [a, b] = [
      await startProcess({ budgetUsd: 10, redisUrl: server.url }),
      await startProcess({ budgetUsd: 10, redisUrl: server.url }),
    ];
    const star = emulator.world.addUser({ username: 'star' });
    for (const fan of emulator.world.addUsers(5, 'r')) emulator.world.follow(fan.id, star.id);
    for (let i = 0; i < 3; i += 1) await a.client.followers(star.id, { maxResults: 5 });
    const spent = (await refusal(b.client.followers(star.id, { maxResults: 5 }))) as XRateLimitedError;
    expect(spent).toMatchObject({ kind: 'rate-limited', local: true });

    await server.stop();
    const started = performance.now();
    clock.set(spent.resetAt + 1_000);
    // Neither knows the new window: each learns it from X's answers alone.
    await a.client.followers(star.id, { maxResults: 5 });
    await b.client.followers(star.id, { maxResults: 5 });
    await a.client.followers(star.id, { maxResults: 5 });
    // B's last answer said one was left; X says otherwise, and the 429 closes the bucket as ever.
    await expect(b.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({ local: false });
    await expect(b.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({ local: true });
    await expect(a.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({ local: true });
    expect((await a.client.userByUsername('star')).id).toBe(star.id);
    expect(performance.now() - started).toBeLessThan(1_500);

    expect(emulator.requests('/followers').map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 429]);
    // Each process still counts what it read itself.
    expect(a.costMeter.today().billableUsers).toBeGreaterThanOrEqual(6);
    expect(b.costMeter.today().billableUsers).toBeGreaterThanOrEqual(5);
    expect(a.warnings).toHaveLength(1);
    expect(b.warnings).toHaveLength(1);
  });

  it('pays one command timeout, not one per step, when Redis stops answering', async () => {
    const redisServer = await startRedisServer();
    server = redisServer;
    await startEmulator();
    const [a, b] = [
      await startProcess({ budgetUsd: 10, redisUrl: redisServer.url }),
      await startProcess({ budgetUsd: 10, redisUrl: redisServer.url }),
    ];
    const star = emulator.world.addUser({ username: 'star' });
    await a.client.userById(star.id);
    const tally: SpendTally = { users: 0, events: 0 };
    await b.client.userById(star.id, { tally });
    expect(tally.users).toBe(0);

    // Connected, but silent: each call would wait out the connection's 2 s command timeout.
    process.kill(redisServer.pid, 'SIGSTOP');
    try {
      const started = performance.now();
      for (let i = 0; i < 3; i += 1) await a.client.userById(star.id);
      expect(performance.now() - started).toBeLessThan(3_500);
      expect(emulator.requests('GET /2/users/')).toHaveLength(5);
      expect(a.warnings).toHaveLength(1);
    } finally {
      process.kill(redisServer.pid, 'SIGCONT');
    }
  });
});
