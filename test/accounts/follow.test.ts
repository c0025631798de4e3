/** /follow, /unfollow, /unlink and the token lifecycle behind them, against both emulators. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../../src/accounts/encryption.js';
import { WRITES_PER_DAY, WriteAllowance } from '../../src/accounts/write-allowance.js';
import type { Interaction } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { expectNothingLiveFromX, HOSTILE, readMarkdown, shown } from '../support/discord-markdown.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness;
let me: EmuUser;
let star: EmuUser;

beforeEach(async () => {
  bot = await startBot();
  me = bot.x.world.addUser({ username: 'me_on_x' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
});
afterEach(() => bot.close());

/** The ephemeral answer of a command, whichever way it was sent. */
async function answer(interaction: Interaction): Promise<string> {
  const reply = await interaction.reply();
  expect(reply.flags & 64).toBe(64);
  return reply.content;
}

const run = async (command: string, user: string, who = bot.discord.owner) =>
  shown(await answer(bot.discord.command(command, { user }, { user: who })));

/** The ephemeral reply of a command, with its link buttons as `label url`. */
async function runWithLinks(command: string, user: string) {
  const reply = await bot.discord.command(command, { user }).reply();
  expect(reply.flags & 64).toBe(64);
  const links = reply.components.flatMap((row) =>
    (row.components as { style: number; label: string; url?: string; custom_id?: string }[]).map((b) => {
      expect(b).toMatchObject({ style: 5 });
      expect(b.custom_id).toBeUndefined();
      return `${b.label} ${b.url}`;
    }),
  );
  return { content: reply.content, links, allowedMentions: reply.allowed_mentions };
}

/** The one link button of a reply, read back as a URL. */
function onlyUrl(links: string[]): URL {
  expect(links).toHaveLength(1);
  return new URL((links[0] ?? '').split(' ').at(-1) ?? '');
}
const refreshes = () => bot.x.log.filter((e) => e.path === '/2/oauth2/token').length - 1;

describe('/follow and /unfollow', () => {
  beforeEach(async () => {
    expect(await bot.link(bot.discord.owner, me.id)).toContain('Linked as @me_on_x');
  });

  it('follows, says when already following, and unfollows', async () => {
    expect(await runWithLinks('follow', '@star')).toMatchObject({
      content: 'You now follow **@star** on X.',
      links: [],
    });
    expect(bot.x.world.follows(me.id, star.id)).toBe(true);
    expect(await run('follow', 'https://x.com/star')).toBe('You already follow **@star** on X.');
    expect(await run('unfollow', 'star')).toBe('You no longer follow **@star** on X.');
    expect(bot.x.world.follows(me.id, star.id)).toBe(false);
    expect(await run('unfollow', 'star')).toBe("You don't follow **@star** on X, so nothing changed.");
    // Two writes billed; the repeats cost a read each and no write.
    expect(bot.x.requests(/^(POST|DELETE) \/2\/users/)).toHaveLength(2);
  });

  it('writes at most 50 follows and unfollows a day for one person, then points to X', async () => {
    const { services } = bot.flock;
    const allowance = new WriteAllowance(services.store, services.clock, services.linked.locks, 'follow');
    for (let n = 0; n < WRITES_PER_DAY.follow - 1; n++)
      expect(await allowance.take(bot.discord.owner.id)).toBe(true);
    expect(await run('follow', 'star')).toBe('You now follow **@star** on X.');
    const spent = await runWithLinks('unfollow', 'star');
    expect(spent.content).toMatch(
      /^Flock has followed or unfollowed 50 accounts for you today, the most it does for one person in a day\. It can again <t:\d+:R>;/,
    );
    expect(spent.links).toEqual(['Open on X https://x.com/star']);
    bot.x.world.addUser({ username: 'other' });
    expect(onlyUrl((await runWithLinks('follow', 'other')).links).pathname).toBe('/intent/follow');
    expect(bot.x.world.follows(me.id, star.id)).toBe(true);
    expect(bot.x.requests(/^(POST|DELETE) \/2\/users/)).toHaveLength(1);
    // Mutes count apart, someone else's allowance is their own, and tomorrow's is whole again.
    expect(
      await new WriteAllowance(services.store, services.clock, services.linked.locks, 'mute').take(
        bot.discord.owner.id,
      ),
    ).toBe(true);
    expect(await allowance.take(bot.discord.addUser('someone').id)).toBe(true);
    bot.clock.advance(24 * 60 * 60_000);
    expect(await run('unfollow', 'star')).toBe('You no longer follow **@star** on X.');
  });

  it('leaves a follow of a protected account pending', async () => {
    bot.x.world.addUser({ username: 'locked', protected: true });
    expect(await run('follow', 'locked')).toBe(
      'Follow request sent: **@locked** is a protected account and approves each follower.',
    );
    expect(await run('follow', 'locked')).toBe(
      'Your follow request to **@locked** is still waiting for their approval.',
    );
  });

  it('refuses to follow yourself before asking X', async () => {
    const before = bot.x.log.length;
    expect(await run('follow', '@ME_ON_X')).toBe("You can't follow yourself.");
    expect(await run('unfollow', me.id)).toBe("You can't unfollow yourself.");
    expect(bot.x.log.length).toBe(before);
  });

  it('answers /follow with X’s follow intent where the plan has no follow endpoints, changing nothing', async () => {
    bot.x.removeFollowEndpoints();
    const linkBefore = await bot.flock.services.linked.get(bot.discord.owner.id);
    const reply = await runWithLinks('follow', '@star');
    expect(reply.content).toBe(
      "I can't follow accounts for you: this bot's X plan doesn't include following. You can follow **@star** on X itself.",
    );
    expect(reply.links).toEqual(['Follow on X https://x.com/intent/follow?screen_name=star']);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect(bot.x.world.follows(me.id, star.id)).toBe(false);
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toEqual(linkBefore);
    // One refused write, no retry.
    expect(bot.x.requests('POST /2/users/:id/following').map((r) => r.status)).toEqual([403]);
  });

  it('answers /unfollow with the profile on X where the plan refuses unfollowing too', async () => {
    bot.x.removeFollowEndpoints();
    bot.x.world.follow(me.id, star.id);
    expect(await runWithLinks('unfollow', 'star')).toMatchObject({
      content:
        "I can't unfollow accounts for you: this bot's X plan doesn't include it. You can unfollow **@star** from their profile on X.",
      links: ['Open on X https://x.com/star'],
    });
    expect(bot.x.world.follows(me.id, star.id)).toBe(true);
    const locked = bot.x.world.addUser({ username: 'locked', protected: true });
    bot.x.world.requestFollow(me.id, locked.id);
    expect((await runWithLinks('unfollow', 'locked')).content).toBe(
      "I can't unfollow accounts for you: this bot's X plan doesn't include it. You can withdraw your follow request to **@locked** from their profile on X.",
    );
  });

  it('unfollows through the API where only following is refused, with no button', async () => {
    bot.x.settings.notEnrolled.add('POST /2/users/:id/following');
    expect((await runWithLinks('follow', 'star')).links).toEqual([
      'Follow on X https://x.com/intent/follow?screen_name=star',
    ]);
    bot.x.world.follow(me.id, star.id);
    expect(await runWithLinks('unfollow', 'star')).toMatchObject({
      content: 'You no longer follow **@star** on X.',
      links: [],
    });
    expect(bot.x.world.follows(me.id, star.id)).toBe(false);
    expect(bot.x.requests('DELETE /2/users').map((r) => r.status)).toEqual([200]);
  });

  it('keeps a hostile username X returns out of the intent URL and the text', async () => {
    bot.x.removeFollowEndpoints();
    const odd = bot.x.world.addUser({ username: 'star&screen_name=evil/../x?y=1#z', name: 'Odd' });
    const reply = await runWithLinks('follow', odd.id);
    expect(reply.links).toEqual([`Follow on X https://x.com/intent/follow?user_id=${odd.id}`]);
    const url = onlyUrl(reply.links);
    expect([url.origin, url.pathname, url.hash]).toEqual(['https://x.com', '/intent/follow', '']);
    expect([...url.searchParams]).toEqual([['user_id', odd.id]]);
    expectNothingLiveFromX(reply.content);
    expect(readMarkdown(reply.content).visible).toContain('@star&screen_name=evil/../x?y=1#z');
    // The markdown-laden one too: escaped in the text, absent from the URL.
    const evil = bot.x.world.addUser({ username: HOSTILE.username });
    const second = await runWithLinks('follow', evil.id);
    expect([...onlyUrl(second.links).searchParams]).toEqual([['user_id', evil.id]]);
    expectNothingLiveFromX(second.content);
  });

  it('says when to retry after a rate limit', async () => {
    bot.x.limiter.limits['POST /2/users/:id/following'] = { user: 0 };
    expect(await run('follow', 'star')).toMatch(
      /^X is limiting how often I can ask right now\. Try again <t:\d+:R>\.$/,
    );
  });

  it('five concurrent /follow calls with an expired token cause exactly one refresh, and all succeed', async () => {
    const targets = bot.x.world.addUsers(5, 'target');
    bot.clock.advance(2 * 60 * 60_000);
    const answers = await Promise.all(targets.map((t) => run('follow', t.username)));
    expect(answers).toEqual(targets.map((t) => `You now follow **@${t.username}** on X.`));
    expect(refreshes()).toBe(1);
    expect(targets.every((t) => bot.x.world.follows(me.id, t.id))).toBe(true);
  });

  it('refreshes after a 401 on a token X stopped accepting early', async () => {
    bot.x.auth.expireAccessTokens(me.id);
    expect(await run('follow', 'star')).toBe('You now follow **@star** on X.');
    expect(refreshes()).toBe(1);
  });

  it('removes the link and asks to link again when X has revoked it', async () => {
    bot.x.auth.revokeUser(me.id);
    expect(await run('follow', 'star')).toBe(
      'Your X link stopped working (it was revoked on X or has expired), so I removed it. Run `/link` to connect your X account again.',
    );
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
    expect(await run('follow', 'star')).toBe('First link your X account with `/link`.');
  });

  it('keeps the newest tokens across a restart', async () => {
    bot.clock.advance(2 * 60 * 60_000);
    expect(await run('follow', 'star')).toBe('You now follow **@star** on X.');
    await bot.restart();
    expect(await run('unfollow', 'star')).toBe('You no longer follow **@star** on X.');
    expect(refreshes()).toBe(1);
  });
});

describe('not linked', () => {
  it('points /follow and /unfollow at /link, without asking X', async () => {
    expect(await run('follow', 'star')).toBe('First link your X account with `/link`.');
    expect(await run('unfollow', 'star')).toBe('First link your X account with `/link`.');
    expect(bot.x.log).toEqual([]);
  });
});

describe('/unlink', () => {
  it('revokes both tokens at X and deletes the link', async () => {
    await bot.link(bot.discord.owner, me.id);
    expect(bot.x.auth.liveTokens(me.id)).toEqual({ access: 1, refresh: 1 });
    expect(await answer(bot.discord.command('unlink'))).toBe(
      'Unlinked **@me\\_on\\_x**: Flock revoked its access at X and deleted everything it stored for you.',
    );
    expect(bot.x.auth.liveTokens(me.id)).toEqual({ access: 0, refresh: 0 });
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
    expect(await answer(bot.discord.command('unlink'))).toBe('You have no linked X account.');
  });

  it('still deletes locally when X is down, and says the revocation was not confirmed', async () => {
    await bot.link(bot.discord.owner, me.id);
    bot.x.faults.add({ match: '/2/oauth2/revoke', status: 503, times: 20 });
    expect(await answer(bot.discord.command('unlink'))).toMatch(
      /^Unlinked \*\*@me\\_on\\_x\*\* and deleted everything stored for you, but X did not confirm/,
    );
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
  });

  it('is offered by /link when already linked, with Relink, which links another account', async () => {
    await bot.link(bot.discord.owner, me.id);
    const reply = await bot.discord.command('link').reply();
    expect(reply.content).toContain('linked to X as **@me\\_on\\_x**');
    const labels = reply.components.flatMap((r) => (r.components as { label: string }[]).map((b) => b.label));
    expect(labels).toEqual(['Relink', 'Unlink']);
    const other = bot.x.world.addUser({ username: 'second_x' });
    const relink = bot.discord.click(reply, 'link:relink');
    const fresh = await relink.reply((m) => m.components.length > 0 && m.content.startsWith('Connect'));
    const browser = new WebClient();
    const toDiscord = await browser.visit(linkButtonUrl(fresh));
    const toX = await browser.visit(bot.discord.approve(toDiscord.location ?? '', bot.discord.owner));
    expect((await browser.visit(bot.x.approve(toX.location ?? '', other.id))).title).toBe(
      'Linked as @second_x',
    );
    const relinked = await relink.reply((m) => m.content.startsWith('Linked as'));
    expect(shown(relinked.content)).toBe(
      'Linked as **@second\\_x**. You can now use `/follow` and `/unfollow`.',
    );
    // The old grant was revoked at X rather than left alive.
    await expect.poll(() => bot.x.auth.liveTokens(me.id)).toEqual({ access: 0, refresh: 0 });

    const again = await bot.discord.command('link').reply();
    const unlinked = await bot.discord.click(again, 'link:unlink').reply();
    expect(unlinked.content).toMatch(/^Unlinked \*\*@second\\_x\*\*/);
    expect(unlinked.components).toEqual([]);
  });
});

describe('secrets at rest and in logs', () => {
  it('keeps no token in plain text in the SQLite file or any log line, and generates the key with mode 0600', async () => {
    await bot.link(bot.discord.owner, me.id);
    bot.clock.advance(2 * 60 * 60_000);
    await run('follow', 'star');
    const link = await bot.flock.services.linked.get(bot.discord.owner.id);
    const secrets = [
      link?.tokens.accessToken,
      link?.tokens.refreshToken,
      link?.discord?.accessToken,
      link?.discord?.refreshToken,
    ].filter((s): s is string => Boolean(s));
    expect(secrets).toHaveLength(4);
    await bot.flock.stop();
    const files = ['flock.sqlite', 'flock.sqlite-wal'].map((f) => join(bot.dataDir, f));
    const bytes = files.map((f) => {
      try {
        return readFileSync(f).toString('latin1');
      } catch {
        return '';
      }
    });
    // The search can see the file: what is not secret is there in plain text.
    expect(bytes.some((content) => content.includes('me_on_x'))).toBe(true);
    for (const secret of [...secrets, bot.discord.token, bot.discord.clientSecret]) {
      for (const content of bytes) expect(content.includes(secret)).toBe(false);
      for (const line of bot.logs) expect(line.includes(secret)).toBe(false);
    }
    const key = statSync(join(bot.dataDir, KEY_FILE));
    expect(key.mode & 0o777).toBe(0o600);
    expect(bot.logs.some((l) => l.includes('generated a token encryption key'))).toBe(true);
    await bot.restart();
  });
});
