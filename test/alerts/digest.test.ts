/**
 * The weekly digest end to end: /alerts digest turns it on per subscription; every Monday (UTC)
 * the schedule makes one outbox entry per subscription and week, and delivery posts the chart and
 * the week's numbers in the server's language. Once per week across restarts; a week Flock was
 * down for is reported with the next digest rather than skipped.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEMBER_DEFAULT, PERMISSIONS } from '../emulators/discord/guilds.js';
import type { Message } from '../emulators/discord/interactions.js';
import { attachmentBytes } from '../emulators/discord/message-files.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { allComponents, textDisplays } from '../support/v2-message.js';

let bot: BotHarness;
let star: EmuUser;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

beforeEach(async () => {
  bot = await startBot({ ALERTS_SOURCE: 'poll' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
  for (const fan of bot.x.world.addUsers(30, 'old'))
    bot.x.world.follow(fan.id, star.id, bot.clock.now() - 100_000);
});
afterEach(() => bot.close());

/** Lets Flock attach files in the server (its role), told to the bot as a fresh connection would. */
async function allowFiles(): Promise<void> {
  const role = bot.discord.guild.roles.find((r) => r.name === 'Flock');
  if (!role) throw new Error('no Flock role');
  role.permissions = String(MEMBER_DEFAULT | PERMISSIONS.AttachFiles);
  await bot.restart();
}

const tick = () => bot.flock.services.alerts.schedule.tick();
const digests = (): Message[] =>
  bot.discord.messages(bot.discord.alerts.id).filter((m) => textDisplays(m)[0]?.includes('digest'));
const digest = (weekly: 'on' | 'off', channel = bot.discord.alerts.id) =>
  bot.discord.command('alerts', { account: '@star', channel, weekly }, {}, 'digest').reply();

async function addAlert(): Promise<void> {
  await bot.discord
    .command('alerts', { account: '@star', channel: bot.discord.alerts.id, events: 'both' }, {}, 'add')
    .reply();
  await tick(); // Saturday 28 November 2026: the baseline, 30 followers
}

function follow(count: number, prefix: string): void {
  for (const user of bot.x.world.addUsers(count, prefix)) {
    bot.clock.advance(1000);
    bot.x.world.follow(user.id, star.id);
  }
}

/** To Monday 30 November 2026, five minutes past midnight UTC. */
const toMonday = () => bot.clock.set(Date.parse('2026-11-30T00:05:00Z'));

describe('the weekly digest', () => {
  it('posts the chart and the week’s numbers once, on Monday, and never again across a restart', async () => {
    await allowFiles();
    await addAlert();
    const on = await digest('on');
    expect(on.content).toBe(
      'Weekly digest on for @star in <#' +
        `${bot.discord.alerts.id}>: every Monday (UTC), the chart and the numbers of the week before.`,
    );
    expect(on.flags & 64).toBe(64);
    follow(2, 'week');
    bot.clock.advance(10 * MINUTE);
    await tick();
    expect(digests()).toEqual([]);
    toMonday();
    await tick();
    expect(digests()).toHaveLength(1);
    const [posted] = digests() as [Message];
    const [head, words] = textDisplays(posted);
    expect(head).toBe('Weekly digest for **@star**, Nov 23 to Nov 29');
    expect(words).toContain('Followers: 32 on Nov 28.\nGained 2, lost 0 (1 of 7 days recorded).');
    expect(words).toContain('- Nov 28: gained 2, lost 0, followers 32');
    expect(allComponents(posted).find((c) => c.type === 12)?.items).toEqual([
      {
        media: { url: 'attachment://flock-growth.png' },
        description: 'Growth chart of @star: from 32 to 32 followers, 2 gained and 0 lost.',
      },
    ]);
    const png = attachmentBytes(posted.attachments[0]);
    expect(png?.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(posted.attachments[0]).toMatchObject({ width: 1200, height: 600 });
    expect(posted.mention_roles).toEqual([]);

    await bot.restart();
    await tick();
    bot.clock.advance(6 * HOUR);
    await tick();
    expect(digests()).toHaveLength(1);
    bot.clock.advance(7 * DAY);
    await tick();
    expect(digests()).toHaveLength(2);
    expect(textDisplays(digests()[1] as Message)[0]).toBe('Weekly digest for **@star**, Nov 30 to Dec 6');
  });

  it('makes the digest once when the process dies between making it and marking the week done', async () => {
    await allowFiles();
    await addAlert();
    await digest('on');
    toMonday();
    // Discord stores the post and never answers: Flock dies waiting, before marking it sent.
    bot.discord.storeThenHang = 1;
    void tick();
    await expect.poll(() => digests().length).toBe(1);
    await bot.restart();
    await tick();
    bot.clock.advance(HOUR);
    await tick();
    expect(digests()).toHaveLength(1);
  });

  it('reports the weeks Flock was down for with the next digest, instead of skipping them', async () => {
    await allowFiles();
    await addAlert();
    await digest('on');
    toMonday();
    await tick();
    expect(digests()).toHaveLength(1);
    // Down from Monday to two weeks later: the next digest covers both weeks.
    bot.clock.advance(14 * DAY + HOUR);
    await tick();
    expect(digests()).toHaveLength(2);
    const [head, words] = textDisplays(digests()[1] as Message);
    expect(head).toBe('Weekly digest for **@star**, Nov 30 to Dec 13');
    // The Monday Flock last ran is the one day recorded; the days it was down are gaps.
    expect(words).toContain(
      'Gained 0, lost 0 (1 of 14 days recorded).\n- Nov 30: gained 0, lost 0, followers 30',
    );
    expect(digests()[1]?.attachments).toHaveLength(1);
  });

  it('says so, rather than staying silent, for a week with nothing recorded', async () => {
    await allowFiles();
    await bot.discord
      .command('alerts', { account: '@star', channel: bot.discord.alerts.id }, {}, 'add')
      .reply();
    await digest('on');
    // Flock does not run again until Monday: the week it reports has no record at all.
    toMonday();
    await tick();
    expect(digests()).toHaveLength(1);
    const [posted] = digests() as [Message];
    expect(textDisplays(posted)).toEqual([
      'Weekly digest for **@star**, Nov 23 to Nov 29',
      'Nothing was recorded in this period: Flock was not watching the account then.',
    ]);
    // Nothing to draw: no image, and no legend for one.
    expect(posted.attachments).toEqual([]);
    expect(allComponents(posted).some((c) => c.type === 12)).toBe(false);
  });

  it('posts in the server’s language', async () => {
    await allowFiles();
    bot.discord.setGuildLocale(bot.discord.guild, 'es-ES');
    await addAlert();
    await digest('on');
    follow(1, 'es');
    bot.clock.advance(10 * MINUTE);
    await tick();
    toMonday();
    await tick();
    const [posted] = bot.discord
      .messages(bot.discord.alerts.id)
      .filter((m) => textDisplays(m)[0]?.includes('Resumen'));
    expect(textDisplays(posted as Message)[0]).toBe('Resumen semanal de **@star**, del 23 nov al 29 nov');
    expect(textDisplays(posted as Message)[1]).toContain('Ganados 1, perdidos 0 (1 de 7 días registrados).');
  });

  it('is off unless turned on, and stops when turned off', async () => {
    await allowFiles();
    await addAlert();
    toMonday();
    await tick();
    expect(digests()).toEqual([]);
    await digest('on');
    expect((await digest('off')).content).toBe(`Weekly digest off for @star in <#${bot.discord.alerts.id}>.`);
    bot.clock.advance(7 * DAY);
    await tick();
    expect(digests()).toEqual([]);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).not.toContain('weekly digest');
  });

  it('shows in /alerts list, and survives adding the alert again', async () => {
    await allowFiles();
    await addAlert();
    await digest('on');
    await bot.discord
      .command('alerts', { account: '@star', channel: bot.discord.alerts.id, events: 'new' }, {}, 'add')
      .reply();
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).toContain('new followers; weekly digest');
  });

  it('refuses, changing nothing, where Flock may not attach files or there is no alert', async () => {
    await addAlert();
    const refused = await digest('on');
    expect(refused.content).toBe(
      `I can't attach the chart in <#${bot.discord.alerts.id}>: I'm missing Attach Files there.`,
    );
    expect(refused.flags & 64).toBe(64);
    const elsewhere = await digest('on', bot.discord.general.id);
    expect(shown(elsewhere.content)).toBe(
      `There is no alert for @star in <#${bot.discord.general.id}>. Add one with \`/alerts add\` first.`,
    );
    toMonday();
    await tick();
    expect(digests()).toEqual([]);
  });

  it('goes without the chart, saying why, when Flock may no longer attach files', async () => {
    await allowFiles();
    await addAlert();
    await digest('on');
    follow(1, 'late');
    bot.clock.advance(10 * MINUTE);
    await tick();
    bot.discord.alerts.permission_overwrites.push({
      id: bot.discord.guild.id,
      type: 0,
      allow: '0',
      deny: String(PERMISSIONS.AttachFiles),
    });
    const role = bot.discord.guild.roles.find((r) => r.name === 'Flock');
    if (role) role.permissions = String(MEMBER_DEFAULT);
    toMonday();
    await tick();
    expect(digests()).toHaveLength(1);
    const [posted] = digests() as [Message];
    expect(posted.attachments).toEqual([]);
    expect(textDisplays(posted)[1]).toContain(
      'The chart is missing: Flock may not attach files in this channel (it needs Attach Files).',
    );
    // The alerts themselves go on: the channel was not paused.
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply();
    expect(list.content).not.toContain('paused');
  });
});
