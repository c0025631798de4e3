/**
 * Answers without the round trip, through the real path (discord.js against the Discord emulator,
 * the X client against the X emulator): what Flock sends to Discord for each interaction.
 */
import { Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANSWER_DEADLINE_MS } from '../../src/discord/replies.js';
import type { Interaction, Message } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { buttons, heading, pageLine } from '../support/v2-message.js';

let bot: BotHarness;

beforeEach(async () => {
  bot = await startBot();
  const world = bot.x.world;
  const star = world.addUser({ username: 'star', name: 'Star Account' });
  for (const fan of world.addUsers(25, 'fan')) world.follow(fan.id, star.id);
});
afterEach(() => bot.close());

/**
 * What Flock sent Discord for one interaction, in order: `callback N` (the first response, of
 * type N), and the token's webhook calls (`edit`, `delete`, `follow-up`). Interaction ids appear
 * in both the callback's path and the token.
 */
async function sent(interaction: Interaction): Promise<string[]> {
  // Long enough for a second call to show up, were one coming.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return bot.discord.rest
    .filter((r) => r.path.includes(interaction.id))
    .map((r) => {
      if (r.path.includes('/callback')) return `callback ${(r.body as { type: number }).type}`;
      if (r.method === 'POST') return 'follow-up';
      return r.method === 'PATCH' ? 'edit' : 'delete';
    });
}

const buttonId = (message: Message, label: string) => {
  const button = buttons(message).find((b) => b.label?.startsWith(label));
  if (!button?.custom_id) throw new Error(`no ${label} button`);
  return button.custom_id;
};
const V2 = 1 << 15;
const publicMessages = () => bot.discord.messages(bot.discord.general.id);

describe('a slash command', () => {
  it('answers a cached page with one reply: no deferral, no edit', async () => {
    await bot.discord.command('followers', { user: 'star' }).reply();
    const again = bot.discord.command('followers', { user: 'star' });
    const page = await again.reply();
    expect(heading(page)).toBe('Followers of Star Account (@star)');
    expect(page.flags).toBe(V2);
    expect(await sent(again)).toEqual(['callback 4']);
    // Both answers came from one account lookup and one page from X.
    expect(bot.x.requests().length).toBe(2);
  });

  it('answers an uncached page in one reply when X answers quickly', async () => {
    const command = bot.discord.command('following', { user: 'fan3' });
    const page = await command.reply();
    expect(heading(page)).toBe('Followed by fan 3 (@fan3)');
    expect(await sent(command)).toEqual(['callback 4']);
    expect(bot.x.requests().map((r) => r.endpoint)).toEqual([
      'GET /2/users/by/username/:username',
      'GET /2/users/:id/following',
    ]);
  });

  it('defers when X is slower than the deadline, then edits the answer in, within the 3 seconds', async () => {
    bot.x.faults.add({ match: '/2/users/by/username', latencyMs: 2000 });
    const command = bot.discord.command('followers', { user: 'star' });
    const ack = await command.acknowledgement();
    expect(ack.type).toBe(5);
    expect(ack.status).toBe(204);
    // It waited for the answer until the deadline, and no longer.
    expect(ack.at - command.dispatchedAt).toBeGreaterThanOrEqual(ANSWER_DEADLINE_MS - 100);
    expect(ack.at - command.dispatchedAt).toBeLessThan(2500);
    const page = await command.reply();
    expect(heading(page)).toBe('Followers of Star Account (@star)');
    expect(await sent(command)).toEqual(['callback 5', 'edit']);
    expect(page.flags).toBe(V2);
  });

  it('defers sooner for an interaction the gateway delivered late', async () => {
    bot.x.faults.add({ match: '/2/users/by/username', latencyMs: 2000 });
    // Dispatched a second before the bot received it: only two of Discord's 3 s are left.
    const realNow = bot.discord.now;
    bot.discord.now = () => Date.now() - 1000;
    const sentAt = Date.now();
    const command = bot.discord.command('followers', { user: 'star' });
    bot.discord.now = realNow;
    const ack = await command.acknowledgement();
    expect(ack.type).toBe(5);
    expect(ack.at - sentAt).toBeLessThan(ANSWER_DEADLINE_MS - 200);
    expect(ack.at - command.dispatchedAt).toBeLessThan(2500);
    expect(heading(await command.reply())).toBe('Followers of Star Account (@star)');
  });

  it('does nothing for an interaction Discord has given up on: a late /unlink leaves the link', async () => {
    const me = bot.x.world.addUser({ username: 'me_on_x' });
    await bot.link(bot.discord.owner, me.id);
    // Dispatched 3.5 s before the bot received it: Discord no longer takes an answer.
    const realNow = bot.discord.now;
    bot.discord.now = () => Date.now() - 3500;
    const command = bot.discord.command('unlink', {}, { user: bot.discord.owner });
    bot.discord.now = realNow;
    // Flock asks Discord first whether it may still answer, and does not unlink when it may not.
    await expect.poll(() => command.callbacks[0]?.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The deferral, refused; then the router's apology, refused too. Nothing else was sent.
    expect(command.callbacks.map((c) => [c.type, c.status])).toEqual([
      [5, 404],
      [4, 404],
    ]);
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toMatchObject({ xUserId: me.id });
  });

  it('answers a malformed reference and an account X does not know with one private reply', async () => {
    for (const user of ['not an account!', '@nobody_here']) {
      const command = bot.discord.command('followers', { user });
      await command.acknowledgement();
      expect(await sent(command)).toEqual(['callback 4']);
      expect(command.original?.flags).toBe(64);
      expect(command.original?.allowed_mentions).toEqual({ parse: [] });
    }
    expect(bot.discord.interactions.size).toBe(2);
    expect(publicMessages()).toEqual([]);
  });

  it('answers a failure after a public deferral privately, leaving no public message', async () => {
    // X takes 2 s to say the account does not exist: the answer comes after the deferral.
    bot.x.faults.add({ match: '/2/users/by/username', latencyMs: 2000 });
    const command = bot.discord.command('lookup', { user: 'nobody_here' });
    await command.acknowledgement();
    await new Promise((resolve) => command.on('change', () => command.followups.length && resolve(null)));
    expect(await sent(command)).toEqual(['callback 5', 'delete', 'follow-up']);
    expect(command.followups[0]?.content).toBe(
      "I couldn't find @nobody_here on X. Check the spelling, or try a profile link.",
    );
    expect(command.followups[0]?.flags).toBe(64);
    expect(publicMessages()).toEqual([]);
  });

  it('answers /lookup of a profile looked up minutes ago with one reply, and its list button likewise', async () => {
    await bot.discord.command('lookup', { user: 'star' }).reply();
    const lookup = bot.discord.command('lookup', { user: 'star' });
    const card = await lookup.reply();
    expect(await sent(lookup)).toEqual(['callback 4']);

    const click = bot.discord.click(card, buttonId(card, 'Followers'));
    const list = await click.reply();
    expect(list.id).not.toBe(card.id);
    expect(heading(list)).toBe('Followers of Star Account (@star)');
    expect(await sent(click)).toEqual(['callback 4']);
  });
});

describe('a button click', () => {
  it('turns to a page with one update, whether X is asked or the page is cached', async () => {
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    const next = bot.discord.click(first, buttonId(first, 'Next'));
    const second = await next.reply();
    expect(pageLine(second)).toBe('Page 2 · 25 followers');
    expect(await sent(next)).toEqual(['callback 7']);

    const prev = bot.discord.click(second, buttonId(second, 'Prev'));
    const again = await prev.reply((m) => pageLine(m) === 'Page 1 · 25 followers');
    expect(pageLine(again)).toBe('Page 1 · 25 followers');
    expect(await sent(prev)).toEqual(['callback 7']);
    expect(bot.x.requests('/followers').length).toBe(2);
  });

  it('answers a click by someone else with one private reply', async () => {
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    const click = bot.discord.click(first, buttonId(first, 'Next'), { user: bot.discord.addUser('someone') });
    const note = await click.reply();
    expect(note.flags).toBe(64);
    expect(await sent(click)).toEqual(['callback 4']);
  });

  it('defers the update when X is slower than the deadline, then edits the message', async () => {
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    bot.x.faults.add({ match: '/followers', latencyMs: 2000 });
    const next = bot.discord.click(first, buttonId(first, 'Next'));
    const ack = await next.acknowledgement();
    expect(ack.type).toBe(6);
    expect(ack.at - next.dispatchedAt).toBeGreaterThanOrEqual(ANSWER_DEADLINE_MS - 100);
    expect(ack.at - next.dispatchedAt).toBeLessThan(2500);
    const second = await next.reply();
    expect(second.id).toBe(first.id);
    expect(pageLine(second)).toBe('Page 2 · 25 followers');
    expect(second.flags).toBe(V2);
    expect(await sent(next)).toEqual(['callback 6', 'edit']);
  });
});

describe("the bot's global rate limit", () => {
  it('does not hold an interaction answer while Discord has the bot globally limited', async () => {
    // Discord refuses the bot's next 6 s of requests as over its global limit; discord.js learns
    // it from a 429 on an ordinary route and holds every request it counts until then.
    bot.discord.globalLimit.exhaust(6000);
    void bot.flock.client.rest.get(Routes.user('@me')).catch(() => undefined);
    await expect.poll(() => bot.discord.rest.some((r) => r.status === 429), { timeout: 3000 }).toBe(true);

    // A page X sends quickly: one reply at once.
    const quick = bot.discord.command('followers', { user: 'fan1' });
    await quick.reply(undefined, 10_000);
    expect(Date.now() - quick.dispatchedAt).toBeLessThan(1000);
    // An answer X delays past the deadline: the deferral, then the edit as soon as X answered.
    bot.x.faults.add({ match: '/2/users/by/username', latencyMs: 2000 });
    const command = bot.discord.command('followers', { user: 'star' });
    const page = await command.reply(undefined, 10_000);
    expect(heading(page)).toBe('Followers of Star Account (@star)');
    expect(page.edited_timestamp).not.toBeNull();
    expect(Date.parse(page.edited_timestamp ?? '') - command.dispatchedAt).toBeLessThan(2800);
    expect(await sent(command)).toEqual(['callback 5', 'edit']);
    // The ordinary request was still held, as it must be.
    const ordinary = bot.discord.rest.filter((r) => /^\/api\/v10\/users\/(@|%40)me$/.test(r.path));
    expect(ordinary.map((r) => r.status)).toEqual([429]);
  }, 15_000);

  it('does not hold the answer of a command that changes something (/unlink) either', async () => {
    bot.discord.globalLimit.exhaust(6000);
    void bot.flock.client.rest.get(Routes.user('@me')).catch(() => undefined);
    await expect.poll(() => bot.discord.rest.some((r) => r.status === 429), { timeout: 3000 }).toBe(true);
    const unlink = bot.discord.command('unlink');
    const answer = await unlink.reply(undefined, 10_000);
    expect(answer.flags & 64).toBe(64);
    expect(Date.now() - unlink.dispatchedAt).toBeLessThan(1000);
    // Ready at once: one response, no "thinking…" first.
    expect(await sent(unlink)).toEqual(['callback 4']);
  }, 15_000);
});
