/**
 * Insights reads on a store in Redis (several processes): the leases they run under leave nothing
 * behind in Redis once released (no fence counter per request or list), and a read whose lease
 * is lost (Redis away past its TTL, or another process holding it now) stops reading and writing
 * at once, leaving the request running for whichever process takes it up.
 */
import { createClient } from '@redis/client';
import { afterEach, expect, it } from 'vitest';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { claimRedisDb, type RedisDb } from '../support/redis.js';
import { v2Text } from '../support/v2-message.js';
import { ask, confirm, finished, seedGraph, until } from './helpers.js';

let bot: BotHarness;
let db: RedisDb;
let redis: ReturnType<typeof createClient>;
afterEach(async () => {
  await bot.close();
  await redis.close();
  await db.release();
});

async function start(before: () => Promise<unknown> = async () => undefined) {
  db = await claimRedisDb();
  redis = createClient({ url: db.url });
  redis.on('error', () => undefined);
  await redis.connect();
  await before();
  bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100', STORE_URL: db.url }, { insightsLeaseTtlMs: 600 });
  bot.x.limiter.limits['GET /2/users/:id/followers'] = { app: 2 };
}

const followerReads = () => bot.x.requests('GET /2/users/:id/followers');

it('leaves no lease or fence of a finished read in Redis', async () => {
  await start();
  seedGraph(bot.x.world, bot.clock.now(), { mutuals: 0, notBack: 1500, fans: 0 });
  const { message } = await ask(bot, 'export', 'list', { account: 'star', kind: 'followers' });
  expect(v2Text(await finished(await confirm(bot, message)))).toMatch(/^Done:/m);
  expect(await redis.keys('lease*')).toEqual([]);
});

it('removes at start the fence counters an older Flock left per request and list, keeping the roles’', async () => {
  await start(() =>
    Promise.all([
      redis.set('lease-fence:insights:run:old-request', '1'),
      redis.set('lease-fence:insights:read:2026-11-27:followers:42', '3'),
      redis.set('lease-fence:role:alerts', '7'),
    ]),
  );
  await until(async () => (await redis.keys('lease-fence:insights:*')).length === 0, 'the sweep');
  expect(await redis.get('lease-fence:role:alerts')).not.toBeNull();
});

it('stops reading at once when its lease is lost, and leaves the request running for another process', async () => {
  await start();
  seedGraph(bot.x.world, bot.clock.now(), { mutuals: 0, notBack: 3500, fans: 0 });
  const { message } = await ask(bot, 'export', 'list', { account: 'star', kind: 'followers' });
  const click = await confirm(bot, message);
  await until(
    () => click.original && v2Text(click.original).includes("X's rate limit is reached"),
    'the rate-limit wait',
  );
  expect(followerReads()).toHaveLength(2);

  // Another process holds the request now (this one's lease expired while Redis was away).
  const [key] = await redis.keys('lease:insights:run:*');
  if (!key) throw new Error('no lease on the request');
  await redis.set(key, 'another-process', { PX: 60_000 });
  // Renewed every third of its 600 ms TTL: the next renewal finds the key taken.
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  // X's window resets: a read still going here would fetch the third page now.
  bot.clock.advance(15 * 60_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(followerReads()).toHaveLength(2);
  const id = key.slice('lease:insights:run:'.length);
  expect((await bot.flock.services.insights.requests.get(id))?.status).toBe('running');
  expect(bot.logs.some((line) => line.includes('an insights read lost its lease'))).toBe(true);
});
