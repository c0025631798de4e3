/**
 * A long read under control: X's rate limit waited out visibly, Stop by its owner alone and
 * within a page, a restart that goes on from the stored cursor, and the budget and the per-user
 * allowance stopping a read with words saying so. The followers endpoint allows 2 requests a
 * window here, so a read of more than 2,000 followers waits for X's reset on the emulator's clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { buttonId, buttons, v2Text } from '../support/v2-message.js';
import { ask, confirm, ended, finished, ids, seedGraph, until } from './helpers.js';

let bot: BotHarness;
afterEach(() => bot.close());

const WINDOW = 15 * 60_000;
const followerReads = () => bot.x.requests('GET /2/users/:id/followers');

async function start(env: Record<string, string>, followers: number) {
  bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100', ...env });
  bot.x.limiter.limits['GET /2/users/:id/followers'] = { app: 2 };
  const graph = seedGraph(bot.x.world, bot.clock.now(), { mutuals: 0, notBack: followers, fans: 0 });
  const { message } = await ask(bot, 'export', 'list', { account: 'star', kind: 'followers' });
  const click = await confirm(bot, message);
  return { graph, click };
}

/** The read waits for X's reset after its two pages, and says so. */
const waiting = (click: Interaction) =>
  until(
    () => click.original && v2Text(click.original).includes("X's rate limit is reached: reading again <t:"),
    'the rate-limit wait',
  );

describe('a read', () => {
  it('waits out the rate limit, showing progress and when it goes on, then finishes', async () => {
    const { graph, click } = await start({}, 2500);
    await waiting(click);
    const shown = v2Text(click.original ?? ({} as never));
    expect(shown).toContain('`▰▰▰▰▰▰▰▰▱▱` 2,000 of about 2,500 users · $20.00 spent');
    expect(followerReads()).toHaveLength(2);
    // Running the command again shows the read under way, and follows it to its end.
    const rerun = bot.discord.command('export', { account: 'star', kind: 'followers' }, {}, 'list');
    const watching = await rerun.reply();
    expect(v2Text(watching)).toContain('2,000 of about 2,500 users');
    expect(buttons(watching).map((b) => b.label)).toEqual(['Stop reading']);
    // The record of where to show progress is written once the reply is out.
    await until(
      async () =>
        (await bot.flock.services.insights.requests.runningOf(bot.discord.owner.id))?.progress?.token ===
        rerun.token,
      'the rerun to be recorded',
    );
    bot.clock.advance(WINDOW);
    const done = await finished(rerun);
    expect(v2Text(done)).toContain('Done: 2,500 rows');
    // The first message hands over to the newer one.
    expect(v2Text(click.original ?? ({} as never))).toContain('goes on without this message');
    expect(followerReads()).toHaveLength(3);
    const csv = await until(
      () => (rerun.followups[0]?.attachments.length ?? 0) > 0 && rerun.followups[0],
      'the CSV',
    );
    expect(csv.content).toBe('Followers of @star: 2,500 rows.');
    expect(graph.notBack).toHaveLength(2500);
  });

  it('stops at its owner’s Stop within a page, and nobody else can stop or confirm it', async () => {
    bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100' });
    bot.x.limiter.limits['GET /2/users/:id/followers'] = { app: 2 };
    seedGraph(bot.x.world, bot.clock.now(), { mutuals: 0, notBack: 3500, fans: 0 });
    const { message: estimate } = await ask(bot, 'export', 'list', { account: 'star', kind: 'followers' });
    const stranger = bot.discord.addUser('stranger');
    const theirs = await bot.discord
      .click(estimate, buttonId(estimate, 'Confirm'), { user: stranger })
      .reply();
    expect(theirs.flags & 64).toBe(64);
    expect(theirs.content).toMatch(/^Only <@\d+> can use these buttons\./);
    const cancel = await bot.discord
      .click(estimate, buttonId(estimate, 'Cancel'), { user: stranger })
      .reply();
    expect(cancel.content).toMatch(/^Only <@\d+> can use these buttons\./);
    expect(followerReads()).toHaveLength(0);

    // Two clicks on Confirm at once: one read starts, the other click is told so.
    const confirmId = buttonId(estimate, 'Confirm');
    const clicks = [bot.discord.click(estimate, confirmId), bot.discord.click(estimate, confirmId)];
    await Promise.all(clicks.map((c) => c.acknowledgement()));
    const click = clicks.find((c) => c.callbacks[0]?.type === 7);
    const other = clicks.find((c) => c !== click);
    if (!click || !other) throw new Error('both clicks answered alike');
    expect((await other.reply()).content).toBe('This is already confirmed: its progress is on this message.');
    await waiting(click);
    const progress = click.original;
    if (!progress) throw new Error('no progress message');
    const refused = await bot.discord
      .click(progress, buttonId(progress, 'Stop reading'), { user: stranger })
      .reply();
    expect(refused.content).toMatch(/^Only <@\d+> can use these buttons\./);
    expect(buttons(progress).map((b) => b.label)).toEqual(['Stop reading']);

    const stop = bot.discord.click(progress, buttonId(progress, 'Stop reading'));
    await stop.acknowledgement();
    const stopped = await finished(click);
    expect(v2Text(stopped)).toContain('Stopped at your request: 2,000 users read, $20.00 spent.');
    bot.clock.advance(2 * WINDOW);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(followerReads()).toHaveLength(2);
    expect(click.followups).toEqual([]);
  });

  it('goes on after a restart from the page after the last one stored', async () => {
    const { graph, click } = await start({}, 3500);
    await waiting(click);
    const firstTwo = followerReads().map((r) => r.query);
    await bot.restart();
    // Resumed at start: the bucket X emptied is known to be empty still, so it waits for the reset.
    await until(() => bot.clock.sleeping > 0, 'the resumed read to wait');
    expect(followerReads()).toHaveLength(2);
    bot.clock.advance(WINDOW);
    const done = await finished(click);
    expect(v2Text(done)).toContain('Done: 3,500 rows');
    const queries = followerReads().map((r) => r.query);
    expect(queries.slice(0, 2)).toEqual(firstTwo);
    // Four pages after the first: none asked twice, each after the one before.
    expect(queries).toHaveLength(4);
    expect(new Set(queries).size).toBe(4);
    expect(queries.slice(1).every((q) => q.includes('pagination_token='))).toBe(true);
    const key = `${new Date(bot.clock.now()).toISOString().slice(0, 10)}:followers:${graph.star.id}`;
    const read = await bot.flock.services.insights.reads.current('followers', graph.star.id);
    expect(read).toMatchObject({ key, users: 3500, pages: 4, done: true });
    expect(bot.x.billing.usersReturned).toBe(1 + 3500);
  });

  it('goes on after a restart past UTC midnight from where it was, on the day it was asked, reading nothing again', async () => {
    const { graph, click } = await start({}, 3500);
    await waiting(click);
    const asked = new Date(bot.clock.now()).toISOString().slice(0, 10);
    // Flock is down over midnight: the read is taken up again on the next UTC day.
    await bot.restart(() => bot.clock.advance(Date.parse(`${asked}T23:59:00Z`) - bot.clock.now() + WINDOW));
    expect(new Date(bot.clock.now()).toISOString().slice(0, 10)).not.toBe(asked);
    const done = await finished(click);
    expect(v2Text(done)).toContain('Done: 3,500 rows');
    const queries = followerReads().map((r) => r.query);
    expect(queries).toHaveLength(4);
    expect(queries.slice(1).every((q) => q.includes('pagination_token='))).toBe(true);
    const { reads } = bot.flock.services.insights;
    expect(await reads.current('followers', graph.star.id, asked)).toMatchObject({ pages: 4, done: true });
    expect(await reads.current('followers', graph.star.id)).toMatchObject({ pages: 0 });
  });

  it('stops when X_DAILY_BUDGET_USD runs out, saying so', async () => {
    const { click } = await start({ X_DAILY_BUDGET_USD: '40' }, 3500);
    await waiting(click);
    // Other work spends from the same budget meanwhile: $15 of lookups.
    const others = bot.x.world.addUsers(1500, 'other').map((u) => u.id);
    await bot.flock.services.x.usersByIds(others);
    bot.clock.advance(WINDOW);
    const stopped = await finished(click);
    expect(v2Text(stopped)).toMatch(
      /Stopped: this bot's X budget for today is used up \(2,000 users read, \$20\.00 spent\)\. It resets <t:\d+:R>\./,
    );
    expect(v2Text(stopped)).toContain('What was read is kept until the end of the UTC day');
    expect(followerReads()).toHaveLength(2);
    expect(bot.x.billing.day().usd).toBeLessThanOrEqual(40);
  });

  it('stops when the asker’s daily allowance runs out, saying so', async () => {
    const { graph, click } = await start({ INSIGHTS_USER_DAILY_USD: '30' }, 2500);
    await waiting(click);
    // Followers X had not counted turn up at the end of the list: the read needs more than estimated.
    const late = bot.x.world.addUsers(1000, 'late');
    for (const [n, user] of late.entries()) bot.x.world.follow(user.id, graph.star.id, n);
    bot.clock.advance(WINDOW);
    await until(() => followerReads().length === 3, 'the third page');
    const stopped = await finished(click);
    expect(v2Text(stopped)).toMatch(
      /Stopped: your daily allowance of \$30\.00 is used up \(3,000 users read, \$30\.00 spent\)\. It resets <t:\d+:R>\./,
    );
    expect(followerReads()).toHaveLength(3);
    expect(await bot.flock.services.insights.allowance.spent(bot.discord.owner.id)).toBe(30_000_000);
    expect(ids(late)).toHaveLength(1000);
  });

  it('never asks X for more users than the allowance has left to pay for, when X counted too few', async () => {
    const { graph, click } = await start({ INSIGHTS_USER_DAILY_USD: '25' }, 2500);
    await waiting(click);
    // $20 spent on two pages; 500 users were counted to go, and $5 is left for them. X then has 1,000.
    const late = bot.x.world.addUsers(1000, 'late');
    for (const [n, user] of late.entries()) bot.x.world.follow(user.id, graph.star.id, n);
    bot.clock.advance(WINDOW);
    await until(() => followerReads().length === 3, 'the third page');
    const stopped = await finished(click);
    expect(v2Text(stopped)).toContain('Stopped: your daily allowance of $25.00 is used up');
    expect(followerReads()[2]?.query).toContain('max_results=500');
    expect(await bot.flock.services.insights.allowance.spent(bot.discord.owner.id)).toBe(25_000_000);
  });
});

describe('reads at once', () => {
  it('never spend past X_DAILY_BUDGET_USD together: each holds its page’s worst cost while X answers', async () => {
    bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100', X_DAILY_BUDGET_USD: '25' });
    // Three accounts of 1,000 followers each, none shared: $10 a list, $30 for the three.
    const stars = ['one', 'two', 'three'].map(
      (name) => seedGraph(bot.x.world, bot.clock.now(), { mutuals: 0, notBack: 1000, fans: 0 }, name).star,
    );
    // X takes its time over each page, so the reads are in flight together.
    bot.x.faults.add({ match: '/followers', latencyMs: 1500, times: 10 });
    const people = stars.map((_, n) => bot.discord.addUser(`reader${n}`));
    const estimates = await Promise.all(
      stars.map(
        async (star, n) =>
          (
            await ask(
              bot,
              'export',
              'list',
              { account: star.username, kind: 'followers' },
              { user: people[n] },
            )
          ).message,
      ),
    );
    const answers = await Promise.all(
      estimates.map(async (estimate, n) => {
        const click = bot.discord.click(estimate, buttonId(estimate, 'Confirm'), { user: people[n] });
        await click.reply();
        return click;
      }),
    );
    const texts = await Promise.all(
      answers.map(async (click) =>
        click.original && ended(click.original) ? v2Text(click.original) : v2Text(await finished(click)),
      ),
    );
    // Two are read whole; the third is refused for the budget, before or at its first page.
    expect(texts.filter((text) => /^Done:/m.test(text))).toHaveLength(2);
    expect(texts.filter((text) => /this bot's X budget/.test(text))).toHaveLength(1);
    expect(followerReads()).toHaveLength(2);
    expect(bot.x.billing.day().usd).toBeLessThanOrEqual(25);
  });
});
