/**
 * Comparisons and exports of lists already read today cost X nothing but cost Flock CPU, disk and
 * uploads: one at a time per person (asking again meanwhile is refused, not queued), a daily
 * number per person, and a bounded queue for the whole process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FREE_AT_ONCE, FREE_PER_DAY, FREE_WAITING } from '../../src/insights/free-work.js';
import type { DiscordUser } from '../emulators/discord/guilds.js';
import type { Interaction } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { v2Text } from '../support/v2-message.js';
import { ask, confirm, finished, seedGraph, until } from './helpers.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100' });
  seedGraph(bot.x.world, bot.clock.now(), { mutuals: 3, notBack: 4, fans: 2 });
  // Today's reads of @star's lists: everything after this is free at X.
  const { message } = await ask(bot, 'insights', 'relationships', { account: 'star' });
  const done = await finished(await confirm(bot, message));
  expect(v2Text(done)).toContain('Done:');
});
afterEach(() => bot.close());

const UPLOADS = 'POST /api/v10/webhooks/';
const exportFans = (user?: DiscordUser) =>
  bot.discord.command('export', { account: 'star', kind: 'fans' }, user ? { user } : {}, 'list');
const csvArrived = (interaction: Interaction) =>
  until(() => interaction.followups[0]?.attachments.length, 'the CSV', 20_000);

describe('free comparisons and exports', () => {
  it('refuses a second one while the person’s first is still being sent, and takes it once that arrived', async () => {
    bot.discord.faults.push({ match: UPLOADS, latencyMs: 1500, times: 1 });
    const first = exportFans();
    await first.reply();
    // Its files are on their way (the upload is slow): the person's slot is still taken.
    await until(() => bot.discord.faults.length === 0, 'the first export to start uploading');

    const second = exportFans();
    const refusal = await second.reply();
    expect(refusal.flags & 64).toBe(64);
    expect(v2Text(refusal)).toBe(
      'Your last comparison or export is still being prepared. Ask again once it has arrived.',
    );
    await csvArrived(first);
    // Nothing was queued behind the first: the refused one sends nothing, ever.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.followups).toEqual([]);

    const third = exportFans();
    await third.reply();
    await csvArrived(third);
  });

  it('lets the person’s slot go when Discord refused the reply that the answer was for', async () => {
    // The account's lookup is no longer cached and X is slow, so Flock defers; Discord refuses it.
    bot.clock.advance(11 * 60_000);
    bot.x.faults.add({ match: '/2/users/by/username', latencyMs: 2_500, times: 1 });
    bot.discord.faults.push({
      match: /^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/,
      status: 500,
      times: 20,
    });
    const failed = exportFans();
    await until(
      () => bot.discord.rest.some((r) => r.status === 500 && r.path.includes('/callback')),
      'the refused deferral',
    );
    expect(failed.acknowledged).toBeUndefined();
    // The answer still comes (after X), and claims the slot for its follow-up, which never runs.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    bot.discord.faults.length = 0;
    const again = exportFans();
    expect(v2Text(await again.reply())).not.toContain('still being prepared');
    await csvArrived(again);
  });

  it(`gives one person ${FREE_PER_DAY} a UTC day, then says when there will be more`, async () => {
    for (let n = 0; n < FREE_PER_DAY; n++) {
      const again = bot.discord.command('insights', { account: 'star' }, {}, 'relationships');
      expect(v2Text(await again.reply())).toContain('Read earlier today, so this costs nothing.');
      await until(() => again.followups[0], 'the result');
    }
    const over = await bot.discord.command('insights', { account: 'star' }, {}, 'relationships').reply();
    expect(over.flags & 64).toBe(64);
    expect(v2Text(over)).toMatch(
      new RegExp(
        `^You have had ${FREE_PER_DAY} comparisons and exports from today’s reads, the most in a day\\. More <t:\\d+:R>\\.$`,
      ),
    );
    // Someone else still may.
    const other = bot.discord.addUser('other');
    expect(v2Text(await exportFans(other).reply())).not.toContain('You have had');
    // And the next UTC day counts afresh: read again (paid, with an estimate), then free once more.
    bot.clock.advance(24 * 60 * 60_000);
    const { message } = await ask(bot, 'insights', 'relationships', { account: 'star' });
    await finished(await confirm(bot, message));
    const tomorrow = await bot.discord.command('insights', { account: 'star' }, {}, 'relationships').reply();
    expect(v2Text(tomorrow)).toContain('Read earlier today, so this costs nothing.');
  });

  it('works on a few at a time, lets a bounded number wait, and asks the next person to try again', async () => {
    const held = FREE_AT_ONCE + FREE_WAITING;
    bot.discord.faults.push({ match: UPLOADS, latencyMs: 400, times: held });
    const people = Array.from({ length: held + 1 }, (_, n) => bot.discord.addUser(`member${n}`));
    const asked = people.slice(0, held).map((user) => exportFans(user));
    await Promise.all(asked.map((interaction) => interaction.reply()));

    const late = await exportFans(people[held]).reply();
    expect(v2Text(late)).toBe(
      'Flock is preparing many comparisons and exports right now. Try again in a minute.',
    );
    // Every one let in is delivered, in turn.
    for (const interaction of asked) await csvArrived(interaction);
    const after = exportFans(people[held]);
    await after.reply();
    await csvArrived(after);
  });
});
