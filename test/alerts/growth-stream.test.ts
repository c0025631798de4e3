/**
 * Growth from X's Activity stream: each follow and unfollow event is counted once in its UTC
 * day, whether X delivers it twice or Flock drains the same batch again after a crash, and the
 * day's count is the one the events carried.
 */
import { afterEach, expect, it } from 'vitest';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';

let bot: BotHarness;
afterEach(() => bot.close());

const schedule = () => bot.flock.services.alerts.schedule;
async function tick(ms = 6_000): Promise<void> {
  bot.clock.advance(ms);
  await schedule().tick();
}
const today = () => new Date(bot.clock.now()).toISOString().slice(0, 10);
const record = async (account: EmuUser) => (await schedule().history.read(account.id, [today()]))[0];

it('counts each streamed event once in its day, however often X delivers it', async () => {
  bot = await startBot({}, { alertStream: { keepAliveMs: 60, backoffMs: 10, maxBackoffMs: 50 } });
  bot.x.activity.settings.keepAliveMs = 20;
  const star = bot.x.world.addUser({ username: 'star' });
  const fans = bot.x.world.addUsers(10, 'fan');
  for (const fan of fans) bot.x.world.follow(fan.id, star.id);
  await bot.discord
    .command('alerts', { account: 'star', channel: bot.discord.alerts.id, events: 'both' }, {}, 'add')
    .reply((m) => m.content !== '');
  await tick();
  await tick();
  schedule().stream?.start();
  await expect.poll(() => schedule().stream?.status.state).toBe('connected');
  expect(await record(star)).toEqual({ day: today(), followers: 10, gained: 0, lost: 0 });

  bot.x.activity.duplicateNextEvents(2);
  const newcomers = bot.x.world.addUsers(3, 'new');
  for (const user of newcomers) bot.x.world.follow(user.id, star.id);
  for (const fan of fans.slice(0, 2)) bot.x.world.unfollow(fan.id, star.id);
  await expect
    .poll(
      async () => {
        await schedule().tick();
        return record(star);
      },
      { timeout: 5_000, interval: 50 },
    )
    .toEqual({ day: today(), followers: 11, gained: 3, lost: 2 });
  // More ticks find nothing new to count.
  await tick();
  await tick();
  expect(await record(star)).toEqual({ day: today(), followers: 11, gained: 3, lost: 2 });
});
