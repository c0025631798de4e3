/**
 * Alerts from X's Activity stream, end to end: /alerts add subscribes the account at X, the
 * stream's events become alerts in Discord within moments, a replayed or duplicated event is one
 * alert, a dropped or stalled stream is made again and replayed, a gap longer than X replays is
 * reconciled by a poll, and accounts the stream cannot serve fall back to polling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { entryTitles, textDisplays } from '../support/v2-message.js';

let bot: BotHarness;
afterEach(() => bot.close());

const FAST = { keepAliveMs: 60, backoffMs: 10, maxBackoffMs: 50 };

async function start(env: Record<string, string> = {}) {
  bot = await startBot(env, { alertStream: FAST });
  bot.x.activity.settings.keepAliveMs = 20;
}

const schedule = () => bot.flock.services.alerts.schedule;
/** A tick with the clock moved on enough for the poll and subscription steps to run. */
async function tick(ms = 6_000): Promise<void> {
  bot.clock.advance(ms);
  await schedule().tick();
}
const posted = () => bot.discord.messages(bot.discord.alerts.id);
const tag = () => `flock:${bot.discord.applicationId}`;
const ours = () => bot.x.activity.subscriptions.filter((s) => s.tag === tag());

async function track(
  account: EmuUser,
  events = 'both',
  channel = bot.discord.alerts.id,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const reply = await bot.discord
    .command('alerts', { account: account.username, channel, events, ...extra }, {}, 'add')
    .reply((m) => m.content !== '');
  expect(reply.content).toMatch(/^Added alerts/);
}

/** Tracks `account`, lets the first poll record where it stands, subscribes it and connects. */
async function streamed(
  account: EmuUser,
  events = 'both',
  extra: Record<string, unknown> = {},
): Promise<void> {
  await track(account, events, bot.discord.alerts.id, extra);
  await tick();
  await tick();
  expect(ours().filter((s) => s.userId === account.id)).toHaveLength(2);
  schedule().stream?.start();
  await expect.poll(() => schedule().stream?.status.state).toBe('connected');
}

/** Ticks (one a moment) until `count` alert messages were posted; returns them. */
async function alerts(count: number): Promise<Message[]> {
  await expect
    .poll(
      async () => {
        await schedule().tick();
        return posted().length;
      },
      { timeout: 5_000, interval: 50 },
    )
    .toBeGreaterThanOrEqual(count);
  // And no more than that shortly after.
  await schedule().tick();
  expect(posted()).toHaveLength(count);
  return posted();
}

const followerReads = (account: EmuUser) => bot.x.requests(`GET /2/users/${account.id}/followers`).length;
const described = (m: Message) => entryTitles(m).sort();

describe('alerts from the Activity stream', () => {
  it('names old followers who leave a 5,000-follower account within moments, with no list read after subscribing', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    const fans = bot.x.world.addUsers(5_000, 'fan');
    for (const fan of fans) bot.x.world.follow(fan.id, star.id);
    await streamed(star);
    const reads = followerReads(star);
    for (const fan of [fans[1], fans[2], fans[3]]) if (fan) bot.x.world.unfollow(fan.id, star.id);
    const [message] = await alerts(1);
    expect(textDisplays(message as Message)[0]).toContain('lost 3 followers');
    expect(message && described(message)).toEqual([
      'Unfollowed: fan 1',
      'Unfollowed: fan 2',
      'Unfollowed: fan 3',
    ]);
    expect(followerReads(star)).toBe(reads);
    // Three events billed, and no read.
    expect(bot.x.billing.eventsDelivered).toBeGreaterThanOrEqual(3);
  });

  it('names each new follower once, even when X delivers an event twice', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    await streamed(star, 'new');
    bot.x.activity.duplicateNextEvents(1);
    const [a, b] = bot.x.world.addUsers(2, 'newfan');
    if (a) bot.x.world.follow(a.id, star.id);
    const [first] = await alerts(1);
    expect(textDisplays(first as Message)[0]).toContain('has 1 new follower');
    if (b) bot.x.world.follow(b.id, star.id);
    const messages = await alerts(2);
    expect(messages.map(described)).toEqual([['New follower: newfan 0'], ['New follower: newfan 1']]);
  });

  it('replays from its first connection when the holder went before X sent a single line', async () => {
    await start();
    // No keep-alive for a long while: the connection says nothing before it goes.
    bot.x.activity.settings.keepAliveMs = 60_000;
    const star = bot.x.world.addUser({ username: 'star' });
    await track(star, 'new');
    await tick();
    await tick();
    schedule().stream?.start();
    await expect.poll(() => bot.x.activity.connections.length).toBe(1);
    await schedule().stream?.stop();
    bot.clock.advance(30_000);
    const [fan] = bot.x.world.addUsers(1, 'meanwhile');
    if (fan) bot.x.world.follow(fan.id, star.id);
    bot.clock.advance(30_000);
    // The next holder (here, the same process starting again) asks X to replay the gap.
    bot.x.activity.settings.keepAliveMs = 20;
    schedule().stream?.start();
    const [message] = await alerts(1);
    expect(message && described(message)).toEqual(['New follower: meanwhile 0']);
  });

  it('a holder whose lease another process has since taken writes no event (fencing)', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    await track(star, 'new');
    await tick();
    await tick();
    // This process holds the stream under fence 3; another process, under fence 4, has
    // already written this account's state.
    schedule().stream?.start(3);
    await expect.poll(() => schedule().stream?.status.state).toBe('connected');
    await bot.flock.services.alerts.states.update(star.id, async (state) => ({
      state: state && { ...state, streamFence: 4 },
      result: undefined,
    }));
    const [fan] = bot.x.world.addUsers(1, 'fan');
    if (fan) bot.x.world.follow(fan.id, star.id);
    await expect.poll(() => schedule().stream?.status.state).toBe('stopped');
    for (let i = 0; i < 5; i += 1) await schedule().tick();
    expect(posted()).toHaveLength(0);
    expect((await bot.flock.services.alerts.states.get(star.id))?.inbox ?? []).toEqual([]);
    expect(bot.logs.some((l) => l.includes('another process holds the Activity stream now'))).toBe(true);
  });

  it('reconnects after a drop and replays what it missed: two follows during a minute down, each alerted once', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    await streamed(star, 'new');
    // The stream goes down (X cuts it, and stays unreachable for a minute of X's time).
    bot.x.faults.add({ match: 'GET /2/activity/stream', status: 503, times: 3 });
    bot.x.activity.dropStreams();
    await expect.poll(() => schedule().stream?.status.state).not.toBe('connected');
    bot.clock.advance(60_000);
    for (const fan of bot.x.world.addUsers(2, 'gapfan')) bot.x.world.follow(fan.id, star.id);
    await expect.poll(() => schedule().stream?.status.state, { timeout: 5_000 }).toBe('connected');
    // Replayed back to back, they may fall in one message or two (a tick can come between them);
    // each is alerted exactly once either way.
    const named = () => posted().flatMap(described).sort();
    await expect
      .poll(
        async () => {
          await schedule().tick();
          return named().length;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBeGreaterThanOrEqual(2);
    await schedule().tick();
    expect(named()).toEqual(['New follower: gapfan 0', 'New follower: gapfan 1']);
    // It asked X to replay the gap.
    expect(
      bot.x.log.some((e) => e.path === '/2/activity/stream' && e.query.includes('backfill_minutes')),
    ).toBe(true);
  });

  it('treats a silent stream as stalled, and connects again', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    await streamed(star, 'new');
    const connects = () => bot.x.log.filter((e) => e.path === '/2/activity/stream').length;
    const before = connects();
    bot.x.activity.stallStreams();
    await expect.poll(connects, { timeout: 5_000 }).toBeGreaterThan(before);
    await expect.poll(() => schedule().stream?.status.state).toBe('connected');
    const [fan] = bot.x.world.addUsers(1, 'afterstall');
    if (fan) bot.x.world.follow(fan.id, star.id);
    expect((await alerts(1)).map(described)).toEqual([['New follower: afterstall 0']]);
  });

  it('stops at once, even while it waits to reconnect', async () => {
    bot = await startBot({}, { alertStream: { keepAliveMs: 60, backoffMs: 60_000, maxBackoffMs: 60_000 } });
    bot.x.faults.add({ match: 'GET /2/activity/stream', status: 503, times: 5 });
    schedule().stream?.start();
    await expect.poll(() => schedule().stream?.status.state).toBe('waiting');
    const stopped = await Promise.race([
      schedule()
        .stream?.stop()
        .then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
    ]);
    expect(stopped).toBe('stopped');
  });

  it('reconciles with one poll when the stream was down longer than X replays', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    const old = bot.x.world.addUsers(30, 'old');
    for (const fan of old) bot.x.world.follow(fan.id, star.id);
    await streamed(star);
    await schedule().stream?.stop();
    bot.clock.advance(10 * 60_000);
    for (const fan of bot.x.world.addUsers(2, 'missed')) bot.x.world.follow(fan.id, star.id);
    bot.clock.advance(6 * 60_000);
    schedule().stream?.start();
    await expect.poll(() => schedule().stream?.status.state).toBe('connected');
    await expect
      .poll(async () => (await bot.flock.services.alerts.states.get(star.id))?.source?.gapSince)
      .toBeDefined();
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply((m) => m.content !== '');
    expect(list.content).toContain('the stream missed more than X replays');
    const reads = followerReads(star);
    await tick(60_000);
    expect(followerReads(star)).toBeGreaterThan(reads);
    const [message] = await alerts(1);
    expect(message && described(message)).toEqual(['New follower: missed 0', 'New follower: missed 1']);
    expect((await bot.flock.services.alerts.states.get(star.id))?.source?.gapSince).toBeUndefined();
  });

  it('says who left X when X reports a follower who is gone, by looking them up', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    const [doomed] = bot.x.world.addUsers(1, 'doomed');
    if (doomed) bot.x.world.follow(doomed.id, star.id);
    await streamed(star, 'lost');
    if (doomed) bot.x.world.setState(doomed.id, 'suspended');
    const [message] = await alerts(1);
    expect(entryTitles(message as Message)[0]).toBe('Follower suspended');
  });

  it('announces the account’s own follows and unfollows, with min_followers applied', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    await streamed(star, 'follows', { min_followers: 2 });
    const big = bot.x.world.addUser({ username: 'big', name: 'Big' });
    for (const fan of bot.x.world.addUsers(3, 'bigfan')) bot.x.world.follow(fan.id, big.id);
    const small = bot.x.world.addUser({ username: 'small', name: 'Small' });
    bot.x.world.follow(star.id, small.id);
    bot.x.world.follow(star.id, big.id);
    const [followed] = await alerts(1);
    expect(textDisplays(followed as Message)[0]).toContain('followed 1 account');
    expect(entryTitles(followed as Message)[0]).toBe('Now follows: Big');
    bot.x.world.unfollow(star.id, big.id);
    const messages = await alerts(2);
    expect(entryTitles(messages[1] as Message)[0]).toBe('No longer follows: Big');
  });

  it('posts exactly one message when the process dies between an event and its message', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    await streamed(star, 'new');
    const [fan] = bot.x.world.addUsers(1, 'crashfan');
    if (fan) bot.x.world.follow(fan.id, star.id);
    // The event is in the store (received), but no tick has made it an alert yet.
    await expect
      .poll(async () => (await bot.flock.services.alerts.states.get(star.id))?.inbox?.length ?? 0)
      .toBe(1);
    await bot.restart();
    schedule().stream?.start();
    expect((await alerts(1)).map(described)).toEqual([['New follower: crashfan 0']]);
  });
});

describe('what the stream cannot serve', () => {
  it('falls back to polling when the plan has no Activity API, and /alerts list says so', async () => {
    await start();
    bot.x.removeActivityApi();
    const star = bot.x.world.addUser({ username: 'star' });
    await track(star, 'new');
    await tick();
    await tick();
    expect(ours()).toEqual([]);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply((m) => m.content !== '');
    expect(list.content).toMatch(/polled \(the bot's X plan has no Activity API\)/);
    const [fan] = bot.x.world.addUsers(1, 'polledfan');
    if (fan) bot.x.world.follow(fan.id, star.id);
    await tick(60_000);
    expect((await alerts(1)).map(described)).toEqual([['New follower: polledfan 0']]);
  });

  it('polls an account X will not stream, and says why', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    bot.x.activity.settings.refusedUserIds.add(star.id);
    await track(star, 'new');
    await tick();
    await tick();
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply((m) => m.content !== '');
    expect(list.content).toContain('polled (X will not stream this account');
  });

  it('polls the accounts past X’s subscription limit', async () => {
    await start();
    bot.x.activity.settings.subscriptionLimit = 2;
    const [first, second] = [
      bot.x.world.addUser({ username: 'first' }),
      bot.x.world.addUser({ username: 'second' }),
    ];
    await track(first, 'new');
    await track(second, 'new');
    await tick();
    await tick();
    expect(ours().map((s) => s.userId)).toEqual([first.id, first.id]);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply((m) => m.content !== '');
    expect(list.content).toMatch(
      /@second\*\* → [^\n]*\n {2}polled \(X.s limit of Activity subscriptions is reached\)/,
    );
  });

  it('subscribes with the owner’s own token when X asks for user context', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    bot.x.activity.settings.userContextUserIds.add(star.id);
    await bot.link(bot.discord.owner, star.id);
    await streamed(star, 'new');
  });
});

describe('limits the operator sets', () => {
  it('with ALERTS_SOURCE=stream, does not poll an account X will not stream, and says so', async () => {
    await start({ ALERTS_SOURCE: 'stream' });
    const star = bot.x.world.addUser({ username: 'star' });
    bot.x.activity.settings.refusedUserIds.add(star.id);
    await track(star, 'new');
    await tick();
    await tick();
    const reads = followerReads(star);
    const [fan] = bot.x.world.addUsers(1, 'unseen');
    if (fan) bot.x.world.follow(fan.id, star.id);
    await tick(120_000);
    expect(followerReads(star)).toBe(reads);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply((m) => m.content !== '');
    expect(list.content).toContain('not served (X will not stream this account');
    expect(list.content).toContain('ALERTS_SOURCE=stream turns polling off');
  });

  it('lets go of the stream once today’s X budget is spent', async () => {
    await start({ X_DAILY_BUDGET_USD: '0.05' });
    const star = bot.x.world.addUser({ username: 'star' });
    await streamed(star, 'new');
    for (const fan of bot.x.world.addUsers(6, 'pricey')) bot.x.world.follow(fan.id, star.id);
    await expect
      .poll(() => schedule().stream?.status.reason, { timeout: 5_000 })
      .toEqual({ code: 'budget-spent' });
    expect(bot.x.activity.connections).toEqual([]);
    const list = await bot.discord.command('alerts', {}, {}, 'list').reply((m) => m.content !== '');
    expect(list.content).toMatch(/\(the stream is reconnecting since <t:\d+:R>: today’s X budget is spent\)/);
  });
});

describe('subscriptions at X', () => {
  it('subscribes an account once however many channels watch it, and deletes them with its last channel', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    const other = bot.discord.guild.addChannel('more');
    await track(star, 'new');
    await track(star, 'lost', other.id);
    await tick();
    await tick();
    expect(
      ours()
        .map((s) => s.eventType)
        .sort(),
    ).toEqual(['follow.follow', 'follow.unfollow']);
    await bot.discord
      .command('alerts', { account: 'star', channel: other.id }, {}, 'remove')
      .reply((m) => m.content !== '');
    expect(ours()).toHaveLength(2);
    await bot.discord.command('alerts', { account: 'star' }, {}, 'remove').reply((m) => m.content !== '');
    expect(ours()).toEqual([]);
  });

  it('at start, deletes orphans and recreates what is missing', async () => {
    await start();
    const star = bot.x.world.addUser({ username: 'star' });
    const gone = bot.x.world.addUser({ username: 'gone' });
    await track(star, 'new');
    await tick();
    await tick();
    // Behind Flock's back: one of star's is deleted, and an orphan of Flock's appears.
    const follow = ours().find((s) => s.userId === star.id && s.eventType === 'follow.follow');
    if (follow) await fetchAs('DELETE', `/2/activity/subscriptions/${follow.id}`);
    bot.x.activity.subscribe({
      appId: DEFAULT_CLIENT_ID,
      eventType: 'follow.follow',
      userId: gone.id,
      tag: tag(),
    });
    await bot.restart();
    await tick();
    await tick();
    expect(
      ours()
        .map((s) => `${s.userId}:${s.eventType}`)
        .sort(),
    ).toEqual([`${star.id}:follow.follow`, `${star.id}:follow.unfollow`]);
  });

  it('with ALERTS_SOURCE=poll, deletes what an earlier run subscribed', async () => {
    await start({ ALERTS_SOURCE: 'poll' });
    const star = bot.x.world.addUser({ username: 'star' });
    bot.x.activity.subscribe({
      appId: DEFAULT_CLIENT_ID,
      eventType: 'follow.follow',
      userId: star.id,
      tag: tag(),
    });
    const others = bot.x.activity.subscribe({
      appId: DEFAULT_CLIENT_ID,
      eventType: 'follow.follow',
      userId: star.id,
      tag: 'another-bot',
    });
    await track(star, 'new');
    await tick();
    expect(ours()).toEqual([]);
    expect(bot.x.activity.subscriptions.map((s) => s.id)).toEqual([others.id]);
  });
});

async function fetchAs(method: string, path: string): Promise<void> {
  const res = await fetch(`${bot.x.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEFAULT_BEARER}` },
  });
  expect(res.ok).toBe(true);
}
