/**
 * Redis stops for 20 s under three processes and comes back with its data (its append-only file
 * kept, as operators run it). Meanwhile commands say the store is not answering, privately; every
 * process keeps its gateway and says so on /healthz; and once Redis is back, the follows made
 * while it was away are alerted exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Channel } from '../emulators/discord/guilds.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type FlockCluster, sleep, startCluster, until } from '../support/flock-processes.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import {
  answerOf,
  awaitStreamed,
  type ExpectedAlert,
  expectEachAlertedOnce,
  soleHolder,
  track,
} from './helpers.js';

let cluster: FlockCluster | undefined;
let redis: RedisServer | undefined;
let data: string | undefined;
afterEach(async () => {
  await cluster?.close();
  await redis?.stop();
  if (data) rmSync(data, { recursive: true, force: true });
  cluster = undefined;
  redis = undefined;
  data = undefined;
});

const OUTAGE_MS = 20_000;
const STORE_AWAY = "Flock's store is not answering, try again shortly.";

describe('Redis away for 20 s', () => {
  it('answers plainly, keeps every gateway, and alerts what happened meanwhile exactly once', async () => {
    data = mkdtempSync(join(tmpdir(), 'flock-redis-data-'));
    redis = await startRedisServer({ persistIn: data });
    const { port } = redis;
    cluster = await startCluster({
      shardCount: 3,
      processes: [[0], [1], [2]],
      storeUrl: `${redis.url}/0`,
      // X's keep-alive every 2 s rather than 20: the stream is in its steady state (a sign of
      // life seen and saved) a moment after it connects.
      x: { activity: { keepAliveMs: 2_000 } },
    });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const { discord, x } = c;
    const places = c.guilds.flat();
    const watched = places.map((place) => ({
      account: x.world.addUser({ username: `s${place.shard}acct` }),
      channel: place.alerts,
    }));
    for (const [n, { account }] of watched.entries()) {
      const place = places[n];
      if (place) await track(c, account, place, { events: 'new' });
    }
    await awaitStreamed(
      c,
      watched.map((w) => w.account),
    );
    await soleHolder(c, 'alerts');
    // Steady state: the holder's stream has seen X's keep-alive and saved when.
    await sleep(3_000);
    // What /followers asks about.
    x.world.addUser({ username: 'star' });
    const followEach = (prefix: string): ExpectedAlert[] =>
      x.world.addUsers(watched.length, prefix).map((fan, n) => {
        const { account, channel } = watched[n] as { account: EmuUser; channel: Channel };
        x.world.follow(fan.id, account.id);
        return { channel, title: `New follower: ${fan.name}` };
      });

    await redis.stop();
    const stoppedAt = Date.now();
    const expected = followEach('early');

    // Every process says the store is away, and keeps its shard. (One that died is reported below.)
    const live = () => c.processes.filter((p) => p.running);
    await until(
      "every process's /healthz saying the store is not answering",
      () => Promise.all(live().map(async (p) => (await p.health())?.store)),
      (stores) => stores.every((s) => s === 'not answering'),
      { timeoutMs: 10_000 },
    );
    for (const [shard, place] of places.entries()) {
      const proc = c.processes[shard];
      if (!proc?.running) continue;
      const interaction = discord.command(
        'followers',
        { user: 'star' },
        { guild: place.guild, channel: place.general },
      );
      // A process that dies meanwhile is reported by the check below, not here.
      const answer = await answerOf(interaction).catch((error: unknown) => {
        if (proc.running) throw error;
        return undefined;
      });
      if (!answer) continue;
      expect(answer, `/followers on shard ${shard} while Redis is away`).toMatchObject({
        content: STORE_AWAY,
        ephemeral: true,
      });
    }
    await sleep(8_000);
    expected.push(...followEach('middle'));
    await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    for (const [n, proc] of c.processes.entries()) {
      expect.soft(proc.running, `${proc.name} still running after ${OUTAGE_MS} ms without Redis`).toBe(true);
      expect
        .soft((await proc.health())?.shards, `${proc.name}'s shards without Redis`)
        .toEqual([{ id: n, status: 'ready' }]);
    }

    redis = await startRedisServer({ port, persistIn: data });
    await until(
      "every process's /healthz saying the store is ready again",
      () => Promise.all(live().map(async (p) => (await p.health())?.store)),
      (stores) => stores.every((s) => s === 'ready'),
      { timeoutMs: 30_000 },
    );
    expected.push(...followEach('late'));
    await expectEachAlertedOnce(c, expected, { timeoutMs: 60_000 });

    // Commands work again (through a process that is still there).
    const served = places.find((place) => c.processes[place.shard]?.running);
    if (!served) throw new Error('no process left running');
    const list = await answerOf(
      discord.command('followers', { user: 'star' }, { guild: served.guild, channel: served.general }),
    );
    expect(list.content).not.toBe(STORE_AWAY);
    expect.soft((await c.holders('alerts')).length, 'alerts holders after Redis came back').toBe(1);
  }, 180_000);
});
