/**
 * Growth history and /alerts chart end to end: checks on the emulator clock record each UTC day's
 * count, gained and lost; the chart answers with a PNG and the same figures in words, read from
 * what was recorded and from nothing else.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachmentBytes } from '../emulators/discord/message-files.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { allComponents, textDisplays } from '../support/v2-message.js';

let bot: BotHarness;
let star: EmuUser;
let fans: EmuUser[];

beforeEach(async () => {
  bot = await startBot({ ALERTS_SOURCE: 'poll' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
  fans = bot.x.world.addUsers(30, 'old');
  for (const [n, fan] of fans.entries()) bot.x.world.follow(fan.id, star.id, bot.clock.now() - 100_000 + n);
});
afterEach(() => bot.close());

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const tick = () => bot.flock.services.alerts.schedule.tick();
async function poll() {
  bot.clock.advance(10 * MINUTE);
  await tick();
}
const addAlert = () =>
  bot.discord
    .command('alerts', { account: '@star', channel: bot.discord.alerts.id, events: 'both' }, {}, 'add')
    .reply();
const chart = async (options: Record<string, unknown> = {}, locale = 'en-US') => {
  const command = bot.discord.command('alerts', { account: '@star', ...options }, { locale }, 'chart');
  const reply = await command.reply();
  // Drawing holds Flock's event loop, which no deadline can interrupt: a chart is always
  // acknowledged (publicly) before it is drawn, then edited in.
  if (reply.attachments.length > 0)
    expect(command.callbacks.map((c) => [c.type, Number(c.data?.flags ?? 0) & 64])).toEqual([[5, 0]]);
  return reply;
};

function follow(count: number, prefix: string): EmuUser[] {
  const users = bot.x.world.addUsers(count, prefix);
  for (const user of users) {
    bot.clock.advance(1000);
    bot.x.world.follow(user.id, star.id);
  }
  return users;
}
const unfollow = (users: EmuUser[]) => {
  for (const user of users) bot.x.world.unfollow(user.id, star.id);
};

/** The width and height a PNG's IHDR declares, after checking its signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('growth history and /alerts chart', () => {
  it('records each day from the checks, and draws it with the same figures in words', async () => {
    await addAlert();
    await tick(); // Sat 28 Nov: the baseline, 30 followers
    const early = follow(3, 'sat');
    unfollow(fans.slice(0, 1));
    await poll(); // 28 Nov: 32, +3 −1
    bot.clock.advance(DAY);
    follow(5, 'sun');
    await poll(); // 29 Nov: 37, +5 −0
    bot.clock.advance(DAY);
    unfollow([...early.slice(0, 2), ...fans.slice(1, 3)]);
    await poll(); // 30 Nov: 33, +0 −4

    const readsBefore = bot.x.requests().length;
    const reply = await chart({ days: 7 });
    // Drawn from the store alone: not one request to X.
    expect(bot.x.requests().length).toBe(readsBefore);
    expect(reply.flags & 64).toBe(0);
    const [head, words] = textDisplays(reply);
    expect(head).toBe('**@star**: followers over the last 7 days');
    expect(words).toBe(
      [
        'Followers: 32 on Nov 28, 33 on Nov 30 (+1).',
        'Gained 8, lost 5 (3 of 7 days recorded).',
        'Best day: Nov 29 (+5). Worst day: Nov 30 (-4).',
        '- Nov 28: gained 3, lost 1, followers 32',
        '- Nov 29: gained 5, lost 0, followers 37',
        '- Nov 30: gained 0, lost 4, followers 33',
        '-# Chart: the blue line is the follower count; green bars are followers gained each day, red bars followers lost.',
      ].join('\n'),
    );
    const gallery = allComponents(reply).find((c) => c.type === 12);
    const alt = 'Growth chart of @star: from 32 to 33 followers, 8 gained and 5 lost.';
    expect(gallery?.items).toEqual([{ media: { url: 'attachment://flock-growth.png' }, description: alt }]);
    expect(reply.attachments).toHaveLength(1);
    const [file] = reply.attachments as { filename: string; content_type: string; description: string }[];
    expect(file).toMatchObject({ filename: 'flock-growth.png', content_type: 'image/png', description: alt });
    expect(file).toMatchObject({ width: 1200, height: 600 });
    const png = attachmentBytes(file);
    if (!png) throw new Error('the emulator kept no bytes for the chart');
    expect(pngSize(png)).toEqual({ width: 1200, height: 600 });
  });

  it('counts a check once when the process dies after the day’s record and before the check is saved', async () => {
    await addAlert();
    await tick();
    const { states } = bot.flock.services.alerts;
    follow(2, 'once');
    const before = structuredClone(await states.get(star.id));
    await poll();
    // The crash: the day's record was written, the account's state never was.
    await states.update(star.id, async () => ({ state: before, result: undefined }));
    await poll();
    const day = new Date(bot.clock.now()).toISOString().slice(0, 10);
    const [record] = await bot.flock.services.alerts.schedule.history.read(star.id, [day]);
    expect(record).toEqual({ day, followers: 32, gained: 2, lost: 0 });
    expect(bot.discord.messages(bot.discord.alerts.id)).toHaveLength(1);
  });

  it('records a quiet day as a day with nothing gained or lost, and a day Flock was off as nothing', async () => {
    await addAlert();
    await tick();
    bot.clock.advance(DAY);
    await tick(); // a day with no change: the count carries over
    bot.clock.advance(2 * DAY); // a day with no tick at all
    follow(1, 'back');
    await poll();
    const reply = await chart({ days: 4 });
    expect(textDisplays(reply)[1]).toBe(
      [
        'Followers: 30 on Nov 28, 31 on Dec 1 (+1).',
        'Gained 1, lost 0 (3 of 4 days recorded).',
        'Best day: Dec 1 (+1). Worst day: Nov 28 (0).',
        '- Nov 28: gained 0, lost 0, followers 30',
        '- Nov 29: gained 0, lost 0, followers 30',
        '- Dec 1: gained 1, lost 0, followers 31',
        '-# Chart: the blue line is the follower count; green bars are followers gained each day, red bars followers lost.',
      ].join('\n'),
    );
  });

  it('answers in the reader’s language, with the image free of words', async () => {
    await addAlert();
    await tick();
    follow(2, 'ja');
    await poll();
    const reply = await chart({ days: 3 }, 'ja');
    const [head, words] = textDisplays(reply);
    expect(head).toBe('**@star**：過去 3 日間のフォロワー数');
    expect(words).toContain('フォロワー数：11月28日 に 32。');
    expect(words).toContain('増加 2、減少 0（3 日のうち 1 日分の記録）。');
    expect(reply.attachments).toHaveLength(1);
  });

  it('answers politely, and privately, for an account the server does not watch', async () => {
    const reply = await chart({ account: '@nobody' });
    expect(shown(reply.content)).toBe(
      'This server has no alerts for @nobody, so Flock has no record of how it grew. Add one with `/alerts add`.',
    );
    expect(reply.flags & 64).toBe(64);
    expect(reply.attachments).toEqual([]);
  });

  it('answers politely for a watched account with nothing recorded yet', async () => {
    await addAlert();
    const reply = await chart();
    expect(shown(reply.content)).toBe(
      'Nothing is recorded for @star in the last 30 days yet: Flock records its followers from the first check after `/alerts add`. Try again later.',
    );
    expect(reply.flags & 64).toBe(64);
    expect(bot.x.requests('/followers')).toEqual([]);
  });

  it('refuses a number of days outside 1 to 365, changing nothing', async () => {
    await addAlert();
    await tick();
    for (const days of [0, 366]) {
      const reply = await chart({ days });
      expect(reply.content).toBe('Choose from 1 to 365 days.');
      expect(reply.flags & 64).toBe(64);
    }
  });

  it('keeps a year of days, each record expiring on its own after the retention', async () => {
    await addAlert();
    await tick();
    const reply = await chart({ days: 365 });
    expect(textDisplays(reply)[1]).toContain('(1 of 365 days recorded)');
    // Day by day only for short periods: a year is the summary alone.
    expect(textDisplays(reply)[1]).not.toContain('- Nov 28');
  });
});
