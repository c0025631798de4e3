/**
 * Flock on a Redis store that goes away and comes back: commands answer that the store is not
 * answering (nothing changes), /healthz says so, the gateway stays, and all works again once Redis
 * is back. Redis here is a private redis-server of this test's, stopped and started by its pid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { entryTitles, heading, v2Text } from '../support/v2-message.js';

let bot: BotHarness | undefined;
let redis: RedisServer | undefined;
const folders: string[] = [];
afterEach(async () => {
  await bot?.close();
  await redis?.stop();
  bot = undefined;
  redis = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const health = async () => {
  const res = await fetch(`${bot?.flock.web.url}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; store: string } };
};

describe('a store that stops answering', () => {
  it('answers plainly while Redis is away, keeps the gateway, and works again once it is back', async () => {
    redis = await startRedisServer();
    bot = await startBot({ STORE_URL: `${redis.url}/0` });
    const star = bot.x.world.addUser({ username: 'star' });
    expect(heading(await bot.discord.command('lookup', { user: 'star' }).reply())).toBe('star');
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, store: 'ready' } });

    const { port } = redis;
    await redis.stop();
    // Refused at once: one private reply, nothing public.
    const refused = bot.discord.command('followers', { user: 'star' });
    await expect
      .poll(() => refused.original?.content, { timeout: 5_000 })
      .toBe("Flock's store is not answering, try again shortly.");
    expect(refused.original?.flags).toBe(64);
    expect(refused.callbacks.map((c) => c.type)).toEqual([4]);
    expect(bot.discord.messages(bot.discord.general.id).filter((m) => m.content.includes('store'))).toEqual(
      [],
    );
    expect(await health()).toMatchObject({ status: 503, body: { ok: false, store: 'not answering' } });
    expect(bot.flock.client.isReady()).toBe(true);
    // Background work runs from timers: with the store away each tick ends quietly (a rejection
    // there would end the process).
    await expect(bot.flock.services.roleRefresher?.tick()).resolves.toBe(0);
    await expect(bot.flock.services.alerts.schedule.tick()).resolves.toBeUndefined();

    redis = await startRedisServer({ port });
    await expect.poll(async () => (await health()).status, { timeout: 10_000 }).toBe(200);
    for (const fan of bot.x.world.addUsers(2, 'fan')) bot.x.world.follow(fan.id, star.id);
    const list = await bot.discord
      .command('followers', { user: 'star' })
      .reply((m) => m.components.length > 0);
    expect(v2Text(list)).toContain('fan 1');
  });

  it('loses no stream event and repeats none while Redis is away for a moment', async () => {
    // Redis as operators run it: with its append-only file, so a restart keeps the data.
    const data = mkdtempSync(join(tmpdir(), 'flock-redis-data-'));
    folders.push(data);
    redis = await startRedisServer({ persistIn: data });
    bot = await startBot(
      { STORE_URL: `${redis.url}/0` },
      { alertStream: { keepAliveMs: 60, backoffMs: 20, maxBackoffMs: 200 } },
    );
    bot.x.activity.settings.keepAliveMs = 20;
    const schedule = bot.flock.services.alerts.schedule;
    const tick = async () => {
      bot?.clock.advance(6_000);
      await schedule.tick();
    };
    const star = bot.x.world.addUser({ username: 'star' });
    await bot.discord
      .command('alerts', { account: 'star', channel: bot.discord.alerts.id, events: 'new' }, {}, 'add')
      .reply((m) => m.content !== '');
    await tick();
    await tick();
    schedule.stream?.start();
    await expect.poll(() => schedule.stream?.status.state).toBe('connected');

    const { port } = redis;
    await redis.stop();
    const [fan] = bot.x.world.addUsers(1, 'whileaway');
    if (fan) bot.x.world.follow(fan.id, star.id);
    await expect.poll(() => schedule.stream?.status.state, { timeout: 5_000 }).not.toBe('connected');
    // A tick runs from a timer: with the store away it must end quietly, not reject (which would
    // end the process).
    await expect(tick()).resolves.toBeUndefined();
    redis = await startRedisServer({ port, persistIn: data });
    await expect
      .poll(
        async () => {
          await schedule.tick();
          return bot?.discord.messages(bot.discord.alerts.id).length;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(1);
    await schedule.tick();
    const posted = bot.discord.messages(bot.discord.alerts.id);
    expect(posted.map((m) => entryTitles(m))).toEqual([['New follower: whileaway 0']]);
  });
});
