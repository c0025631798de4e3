/** /mute and /unmute as the linked account: writes only where X's connection_status says they change something. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRITES_PER_DAY, WriteAllowance } from '../../src/accounts/write-allowance.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectNothingLiveFromX, HOSTILE, shown } from '../support/discord-markdown.js';

let bot: BotHarness;
let me: EmuUser;
let star: EmuUser;

beforeEach(async () => {
  bot = await startBot();
  me = bot.x.world.addUser({ username: 'me_on_x' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
});
afterEach(() => bot.close());

/** The private answer to a command, with its buttons as `label url`. */
async function run(command: 'mute' | 'unmute', user: string, who = bot.discord.owner) {
  const reply = await bot.discord.command(command, { user }, { user: who }).reply();
  expect(reply.flags & 64).toBe(64);
  expect(reply.allowed_mentions).toEqual({ parse: [] });
  const links = reply.components.flatMap((row) =>
    (row.components as { label: string; url?: string }[]).map((b) => `${b.label} ${b.url}`),
  );
  return { content: reply.content, links };
}

const writes = () => bot.x.requests(/^(POST|DELETE) \/2\/users\/\d+\/muting/);

describe('/mute and /unmute', () => {
  beforeEach(async () => {
    expect(await bot.link(bot.discord.owner, me.id)).toContain('Linked as @me_on_x');
  });

  it('mutes, says so when already muted, unmutes, and says so when not muted', async () => {
    expect(await run('mute', '@star')).toEqual({
      content: 'You now mute **@star** on X: their posts stay out of your timeline, and they are not told.',
      links: [],
    });
    expect(bot.x.world.mutes.has(me.id, star.id)).toBe(true);
    expect((await run('mute', 'https://x.com/star')).content).toBe(
      'You already mute **@star** on X, so nothing changed.',
    );
    expect((await run('unmute', star.id)).content).toBe('You no longer mute **@star** on X.');
    expect(bot.x.world.mutes.has(me.id, star.id)).toBe(false);
    expect((await run('unmute', 'star')).content).toBe("You don't mute **@star** on X, so nothing changed.");
    // One mute and one unmute were written; the repeats cost a read of the account each, no write.
    expect(writes().map((r) => `${r.method} ${r.status}`)).toEqual(['POST 200', 'DELETE 200']);
    expect(bot.x.billing.day().writesByKind).toMatchObject({ mute: 1, unmute: 1 });
    // Every call went with the user's own token.
    expect(bot.x.requests('/2/users/').every((r) => r.credential === `user:${me.id}`)).toBe(true);
  });

  it('answers plainly with the profile on X where the plan refuses mute writes, changing nothing', async () => {
    bot.x.removeMuteEndpoints();
    expect(await run('mute', 'star')).toEqual({
      content:
        "I can't mute accounts for you: this bot's X plan doesn't include muting. You can mute **@star** from their profile on X.",
      links: ['Open on X https://x.com/star'],
    });
    expect(bot.x.world.mutes.has(me.id, star.id)).toBe(false);
    bot.x.world.mutes.add(me.id, star.id);
    expect(await run('unmute', 'star')).toEqual({
      content:
        "I can't unmute accounts for you: this bot's X plan doesn't include it. You can unmute **@star** from their profile on X.",
      links: ['Open on X https://x.com/star'],
    });
    expect(bot.x.world.mutes.has(me.id, star.id)).toBe(true);
    // One refused write each, never retried; the link is untouched.
    expect(writes().map((r) => r.status)).toEqual([403, 403]);
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toMatchObject({ xUserId: me.id });
  });

  it('refuses yourself and a malformed account before asking X', async () => {
    const before = bot.x.requests().length;
    expect((await run('mute', '@ME_ON_X')).content).toBe("You can't mute yourself.");
    expect((await run('unmute', me.id)).content).toBe("You can't unmute yourself.");
    expect((await run('mute', 'not an account!')).content).toMatch(/^That doesn't look like an X account/);
    expect(bot.x.requests().length).toBe(before);
  });

  it('names missing and suspended accounts in plain words, with no write', async () => {
    expect((await run('mute', 'nobody_here')).content).toMatch(/^I couldn't find @nobody\\?_here on X/);
    const gone = bot.x.world.addUser({ username: 'gone' });
    bot.x.world.setState(gone.id, 'suspended');
    expect((await run('mute', 'gone')).content).toBe('@gone is suspended on X, so there is nothing to show.');
    expect(writes()).toEqual([]);
  });

  it('writes at most 50 mutes and unmutes a day for one person, then points to X', async () => {
    const services = bot.flock.services;
    const allowance = new WriteAllowance(services.store, services.clock, services.linked.locks, 'mute');
    for (let n = 0; n < WRITES_PER_DAY.mute - 1; n++)
      expect(await allowance.take(bot.discord.owner.id)).toBe(true);
    expect((await run('mute', 'star')).content).toMatch(/^You now mute \*\*@star\*\*/);
    const spent = await run('unmute', 'star');
    expect(spent.content).toMatch(
      /^Flock has muted or unmuted 50 accounts for you today, the most it does for one person in a day\. It can again <t:\d+:R>;/,
    );
    expect(spent.links).toEqual(['Open on X https://x.com/star']);
    expect(bot.x.world.mutes.has(me.id, star.id)).toBe(true);
    expect(writes()).toHaveLength(1);
    // Someone else's allowance is their own, and tomorrow's is whole again.
    expect(await allowance.take(bot.discord.addUser('someone').id)).toBe(true);
    bot.clock.advance(24 * 60 * 60_000);
    expect((await run('unmute', 'star')).content).toBe('You no longer mute **@star** on X.');
  });

  it('keeps a hostile handle from X as text', async () => {
    const odd = bot.x.world.addUser({ username: HOSTILE.username, name: HOSTILE.name });
    const { content } = await run('mute', odd.id);
    expect(content).toMatch(/^You now mute \*\*/);
    expectNothingLiveFromX(content);
  });
});

describe('without a link', () => {
  it('sends nothing to X and says to link first', async () => {
    for (const command of ['mute', 'unmute'] as const)
      expect(shown((await run(command, 'star')).content)).toBe('First link your X account with `/link`.');
    for (const command of ['blocks', 'mutes']) {
      const reply = await bot.discord.command(command).reply();
      expect(reply.flags & 64).toBe(64);
      expect(shown(reply.content)).toBe('First link your X account with `/link`.');
    }
    expect(bot.x.requests()).toEqual([]);
  });
});
