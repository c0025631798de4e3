/**
 * /insights relationships and overlap end to end on the emulators: the estimate before anything is
 * read, the exact sets on known graphs, what X billed against what the estimate said, and a second
 * request on the same day at no cost.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { buttonId, buttons, listedNames, v2Text } from '../support/v2-message.js';
import { WebClient } from '../support/web-client.js';
import { ask, confirm, finished, ids, seedGraph, until } from './helpers.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100' });
});
afterEach(() => bot.close());

const listReads = () => bot.x.requests(/\/(followers|following)$/);
const day = () => new Date(bot.clock.now()).toISOString().slice(0, 10);

async function stored(key: string, list: 'mutuals' | 'not-following-back' | 'fans' | 'shared') {
  const rows = await bot.flock.services.insights.results.slice(key, list, 0, 100_000);
  return rows.map((row) => row[0]).sort();
}

describe('/insights relationships', () => {
  it('finds the exact mutuals, not-following-back and fans, billed as estimated, reading nothing before Confirm', async () => {
    const graph = seedGraph(bot.x.world, bot.clock.now(), { mutuals: 300, notBack: 1200, fans: 900 });
    const { interaction, message: estimate } = await ask(bot, 'insights', 'relationships', {
      account: '@star',
    });
    expect(estimate.flags & 64).toBe(64);
    const text = v2Text(estimate);
    expect(text).toContain('Followers of @star: 1,500 users to read');
    expect(text).toContain('Accounts @star follows: 1,200 users to read');
    expect(text).toContain('Cost: at most $27.00 ($0.01 a user)');
    expect(buttons(estimate).map((b) => b.label)).toEqual(['Confirm', 'Cancel']);
    // Only the account's lookup (for its counts) went to X: no list, nothing billed for one.
    expect(bot.x.requests().map((r) => r.endpoint)).toEqual(['GET /2/users/by/username/:username']);
    expect(interaction.callbacks.map((c) => c.type)).toEqual([4]);
    const lookups = bot.x.billing.day().readsByKind.user;

    const click = await confirm(bot, estimate);
    const done = await finished(click);
    expect(v2Text(done)).toContain('Done: 2,700 users read, $24.00 spent.');
    // Two pages of 1,000 at most for each list, each asked for whole.
    expect(listReads().map((r) => r.endpoint)).toEqual([
      'GET /2/users/:id/followers',
      'GET /2/users/:id/followers',
      'GET /2/users/:id/following',
      'GET /2/users/:id/following',
    ]);
    expect(listReads().every((r) => r.query.includes('max_results=1000'))).toBe(true);

    const key = `relationships:${day()}:${graph.star.id}`;
    expect(await stored(key, 'mutuals')).toEqual(ids(graph.mutuals));
    expect(await stored(key, 'not-following-back')).toEqual(ids(graph.notBack));
    expect(await stored(key, 'fans')).toEqual(ids(graph.fans));

    // The estimate priced each list's users; X billed each user once: the mutuals, on both lists, once.
    const billed = bot.x.billing.day().readsByKind.user - lookups;
    expect(billed).toBe(2400);
    expect(27_000_000 / 10_000 - billed).toBe(graph.mutuals.length);
    expect(
      bot.flock.services.x.billedToday('user', ids([...graph.mutuals, ...graph.notBack, ...graph.fans])),
    ).toBe(2400);

    // The result: public, its pages from the store.
    const result = await until(() => click.followups[0], 'the result');
    expect(result.flags & 64).toBe(0);
    expect(v2Text(result)).toContain('300 mutuals · 1,200 not following back · 900 fans');
    expect(listedNames(result)).toEqual(
      graph.mutuals
        .slice(-10)
        .reverse()
        .map((u) => u.username),
    );
    const before = bot.x.requests().length;
    const notBack = await bot.discord
      .click(result, buttonId(result, 'Not following back (1,200)'))
      .reply((m) => v2Text(m).includes('**Not following back (1,200)** · Page 1 of 120'));
    expect(listedNames(notBack)[0]).toBe('star_nb1199');
    const second = await bot.discord
      .click(notBack, buttonId(notBack, 'Next'))
      .reply((m) => v2Text(m).includes('Page 2 of 120'));
    expect(listedNames(second)[0]).toBe('star_nb1189');
    // Only the asker turns the pages.
    const stranger = bot.discord.addUser('stranger');
    const note = await bot.discord.click(second, buttonId(second, 'Next'), { user: stranger }).reply();
    expect(note.flags & 64).toBe(64);
    expect(note.content).toMatch(/^Only <@\d+> can use these buttons\./);
    expect(listedNames(second)[0]).toBe('star_nb1189');
    expect(bot.x.requests().length).toBe(before);
  });

  it('answers a second request the same day from what was read, for nothing and without a Confirm', async () => {
    const graph = seedGraph(bot.x.world, bot.clock.now(), { mutuals: 4, notBack: 6, fans: 2 });
    const { message: estimate } = await ask(bot, 'insights', 'relationships', { account: 'star' });
    await finished(await confirm(bot, estimate));
    const requests = bot.x.requests().length;
    const spent = bot.x.billing.day().usd;

    const again = bot.discord.command('insights', { account: 'star' }, {}, 'relationships');
    const answer = await again.reply();
    expect(v2Text(answer)).toContain('Read earlier today, so this costs nothing.');
    expect(buttons(answer)).toEqual([]);
    const result = await until(() => again.followups[0], 'the result');
    expect(v2Text(result)).toContain('4 mutuals · 6 not following back · 2 fans');
    expect(listedNames(result).sort()).toEqual(graph.mutuals.map((u) => u.username).sort());
    expect(bot.x.requests().length).toBe(requests);
    expect(bot.x.billing.day().usd).toBe(spent);
    // And an export of a list those reads hold costs nothing either.
    const exported = bot.discord.command('export', { account: 'star', kind: 'fans' }, {}, 'list');
    await exported.reply();
    await until(() => exported.followups[0]?.attachments.length, 'the CSV');
    expect(bot.x.requests().length).toBe(requests);
  });

  it('refuses, before anything is read, what costs more than the asker may spend today', async () => {
    seedGraph(bot.x.world, bot.clock.now(), { mutuals: 1000, notBack: 6000, fans: 3500 });
    const { message } = await ask(bot, 'insights', 'relationships', { account: 'star' });
    expect(v2Text(message)).toMatch(
      /^This costs up to \$115\.00, more than the \$100\.00 left of your daily allowance of \$100\.00\. It resets <t:\d+:R>\.$/,
    );
    expect(buttons(message)).toEqual([]);
    expect(listReads()).toEqual([]);
  });
});

describe('owned reads', () => {
  it('price the app owner’s own lists at $0.001 when the owner asks with their own link, full price otherwise', async () => {
    await bot.close();
    const graph = { counts: { mutuals: 3, notBack: 5, fans: 2 } };
    bot = await startBot({ INSIGHTS_USER_DAILY_USD: '100', X_APP_OWNER_ID: '1234567890' });
    const owner = bot.x.world.addUser({ id: '1234567890', username: 'operator' });
    bot.x.setAppOwner(owner.id);
    const mutuals = bot.x.world.addUsers(graph.counts.mutuals, 'mu');
    for (const user of mutuals) {
      bot.x.world.follow(user.id, owner.id);
      bot.x.world.follow(owner.id, user.id);
    }
    for (const user of bot.x.world.addUsers(graph.counts.notBack, 'nb'))
      bot.x.world.follow(user.id, owner.id);
    for (const user of bot.x.world.addUsers(graph.counts.fans, 'fa')) bot.x.world.follow(owner.id, user.id);
    const someone = bot.discord.addUser('someone');
    const theirs = await ask(bot, 'insights', 'relationships', { account: 'operator' }, { user: someone });
    expect(v2Text(theirs.message)).toContain('Cost: at most $0.13 ($0.01 a user)');

    await bot.link(bot.discord.owner, owner.id);
    const { message: estimate } = await ask(bot, 'insights', 'relationships', { account: 'operator' });
    expect(v2Text(estimate)).toContain('Cost: at most $0.013 ($0.001 a user)');
    const click = await confirm(bot, estimate);
    expect(v2Text(await finished(click))).toContain('Done: 13 users read, $0.01 spent.');
    expect(bot.x.billing.day().readsByKind.owned).toBe(10);
    expect(listReads().every((r) => r.credential === `user:${owner.id}`)).toBe(true);
  });
});

describe('a protected account’s own lists', () => {
  it('are read with its owner’s link and shown to the owner alone, not posted to the channel', async () => {
    const me = bot.x.world.addUser({ username: 'quiet', protected: true });
    for (const user of bot.x.world.addUsers(4, 'fan')) bot.x.world.follow(user.id, me.id);
    await bot.link(bot.discord.owner, me.id);
    const { message: estimate } = await ask(bot, 'insights', 'relationships', { account: 'quiet' });
    const click = await confirm(bot, estimate);
    await finished(click);
    const result = await until(() => click.followups[0], 'the result');
    expect(v2Text(result)).toContain('4 not following back');
    expect(result.flags & 64).toBe(64);
    expect(listReads().every((r) => r.credential === `user:${me.id}`)).toBe(true);
  });

  it('are sealed in the store, and deleted with everything computed from them at /unlink', async () => {
    const me = bot.x.world.addUser({ username: 'quiet', protected: true });
    const fans = bot.x.world.addUsers(4, 'hushfan');
    for (const user of fans) bot.x.world.follow(user.id, me.id);
    // An overlap with a public account: its result is computed from the owner's read too.
    const other = bot.x.world.addUser({ username: 'loud' });
    bot.x.world.follow(fans[0]?.id ?? '', other.id);
    await bot.link(bot.discord.owner, me.id);
    for (const [sub, options] of [
      ['relationships', { account: 'quiet' }],
      ['overlap', { account: 'quiet', other: 'loud' }],
    ] as const) {
      const { message: estimate } = await ask(bot, 'insights', sub, options);
      const click = await confirm(bot, estimate);
      await finished(click);
      await until(() => click.followups[0], 'the result');
    }
    // Those who follow the protected account alone are nowhere in the store's files as text
    // (hushfan0 follows @loud too, whose list is anyone's to read).
    const files = readdirSync(bot.dataDir).filter((name) => name.startsWith('flock.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((name) => readFileSync(join(bot.dataDir, name), 'latin1')).join('');
    expect(text).toContain('hushfan0');
    for (const fan of fans.slice(1)) expect(text).not.toContain(fan.username);
    const { insights } = bot.flock.services;
    expect((await insights.reads.current('followers', me.id)).pages).toBe(1);
    // Read back through Flock, they are whole.
    expect(await stored(`relationships:${day()}:${me.id}`, 'not-following-back')).toEqual(ids(fans));

    await bot.discord.command('unlink', {}).reply();
    for (const list of ['followers', 'following'] as const)
      expect(await insights.reads.current(list, me.id)).toMatchObject({ pages: 0, done: false });
    expect(await insights.results.get(`relationships:${day()}:${me.id}`)).toBeUndefined();
    expect(await insights.results.get(`overlap:${day()}:${me.id}:${other.id}`)).toBeUndefined();
    expect(await stored(`relationships:${day()}:${me.id}`, 'not-following-back')).toEqual([]);
    // The public account's own read is anyone's: it stays, free for the rest of the day.
    expect((await insights.reads.current('followers', other.id)).done).toBe(true);
  });

  it('are deleted too when a relink moves their owner to another X account', async () => {
    const me = bot.x.world.addUser({ username: 'quiet', protected: true });
    for (const user of bot.x.world.addUsers(3, 'hushfan')) bot.x.world.follow(user.id, me.id);
    await bot.link(bot.discord.owner, me.id);
    const { message: estimate } = await ask(bot, 'insights', 'relationships', { account: 'quiet' });
    await finished(await confirm(bot, estimate));
    const { insights } = bot.flock.services;
    expect((await insights.reads.current('followers', me.id)).done).toBe(true);

    const reply = await bot.discord.command('link').reply();
    const relink = bot.discord.click(reply, 'link:relink');
    const fresh = await relink.reply((m) => m.components.length > 0 && m.content.startsWith('Connect'));
    const browser = new WebClient();
    const toDiscord = await browser.visit(linkButtonUrl(fresh));
    const toX = await browser.visit(bot.discord.approve(toDiscord.location ?? '', bot.discord.owner));
    const other = bot.x.world.addUser({ username: 'second_x' });
    await browser.visit(bot.x.approve(toX.location ?? '', other.id));
    await relink.reply((m) => m.content.startsWith('Linked as'));
    expect(await insights.reads.current('followers', me.id)).toMatchObject({ pages: 0, done: false });
    expect(await insights.results.get(`relationships:${day()}:${me.id}`)).toBeUndefined();
  });
});

describe('/insights overlap', () => {
  it('finds the exact shared followers and each account’s own share', async () => {
    const world = bot.x.world;
    const a = world.addUser({ username: 'alpha', name: 'Alpha' });
    const b = world.addUser({ username: 'beta', name: 'Beta' });
    const shared = world.addUsers(250, 'both');
    const onlyA = world.addUsers(1050, 'ona');
    const onlyB = world.addUsers(450, 'onb');
    let at = bot.clock.now() - 1_000_000;
    for (const user of [...shared, ...onlyA]) world.follow(user.id, a.id, at++);
    for (const user of [...onlyB, ...shared]) world.follow(user.id, b.id, at++);

    const { message: estimate } = await ask(bot, 'insights', 'overlap', { account: 'alpha', other: '@beta' });
    expect(v2Text(estimate)).toContain('Followers of @alpha: 1,300 users to read');
    expect(v2Text(estimate)).toContain('Followers of @beta: 700 users to read');
    expect(v2Text(estimate)).toContain('Cost: at most $20.00');
    expect(listReads()).toEqual([]);
    const click = await confirm(bot, estimate);
    await finished(click);
    expect(await stored(`overlap:${day()}:${a.id}:${b.id}`, 'shared')).toEqual(ids(shared));
    const result = await until(() => click.followups[0], 'the result');
    const text = v2Text(result);
    expect(text).toContain('250 shared followers');
    expect(text).toContain('@alpha: 1,050 followers of its own, 80.8% of its 1,300');
    expect(text).toContain('@beta: 450 followers of its own, 64.3% of its 700');
    expect(text).toContain('**Shared followers (250)** · Page 1 of 25');
    expect(bot.x.billing.day().readsByKind.user).toBe(2 + 1750);
  });

  it('refuses the same account twice, and a protected account, before any read', async () => {
    bot.x.world.addUser({ username: 'alpha' });
    bot.x.world.addUser({ username: 'locked', protected: true });
    const same = await ask(bot, 'insights', 'overlap', { account: 'alpha', other: 'ALPHA' });
    expect(v2Text(same.message)).toBe('Pick two different accounts to compare.');
    const locked = await ask(bot, 'insights', 'relationships', { account: 'locked' });
    expect(v2Text(locked.message)).toBe(
      '@locked is protected: Flock can read its lists only when it is your own linked account.',
    );
    expect(listReads()).toEqual([]);
  });
});
