import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import {
  allComponents,
  buttonId,
  buttons,
  listedNames as names,
  pageLine,
  v2Text,
} from '../support/v2-message.js';

let bot: BotHarness;
let star: EmuUser;

/** `count` followers of @star, fan0 the oldest: the list shows fan{count-1} first. */
function seed(count: number) {
  const world = bot.x.world;
  star = world.addUser({ username: 'star', name: 'Star Account' });
  const fans = world.addUsers(count, 'fan');
  const start = bot.clock.now() - count * 1000;
  for (const [n, fan] of fans.entries()) world.follow(fan.id, star.id, start + n * 1000);
  return fans;
}

const V2 = 1 << 15;
const xRequests = (bot: BotHarness) => bot.x.requests('/followers').length;

beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

describe('/followers', () => {
  it('pages forward and back through three pages, and revisited pages cost no X request', async () => {
    seed(25);
    const first = await bot.discord.command('followers', { user: '@star' }).reply();
    expect(first.flags & 64).toBe(0);
    expect(names(first)).toEqual([
      'fan24',
      'fan23',
      'fan22',
      'fan21',
      'fan20',
      'fan19',
      'fan18',
      'fan17',
      'fan16',
      'fan15',
    ]);
    expect(first.flags & V2).toBe(V2);
    expect(v2Text(first)).toContain(
      '**Followers of Star Account** ([@star](https://x.com/star/followers))\nPage 1 · 25 followers',
    );

    const second = await bot.discord.click(first, buttonId(first, 'Next')).reply();
    expect(names(second)[0]).toBe('fan14');
    const third = await bot.discord
      .click(second, buttonId(second, 'Next'))
      .reply((m) => names(m)[0] === 'fan4');
    expect(names(third)).toEqual(['fan4', 'fan3', 'fan2', 'fan1', 'fan0']);
    expect(v2Text(third)).toContain('Page 3 of 3 · 25 followers');
    expect(third.flags & V2).toBe(V2);
    expect(third.content).toBe('');
    expect(buttons(third).find((b) => b.label === 'Next')?.disabled).toBe(true);
    expect(xRequests(bot)).toBe(3);

    const back = await bot.discord
      .click(third, buttonId(third, 'Prev'))
      .reply((m) => names(m)[0] === 'fan14');
    const home = await bot.discord.click(back, buttonId(back, 'First')).reply((m) => names(m)[0] === 'fan24');
    await bot.discord.click(home, buttonId(home, 'Next')).reply((m) => names(m)[0] === 'fan14');
    expect(xRequests(bot)).toBe(3);
    // The list's own account lookup and its three pages: nothing else went to X.
    expect(bot.x.requests().map((r) => r.endpoint)).toEqual([
      'GET /2/users/by/username/:username',
      'GET /2/users/:id/followers',
      'GET /2/users/:id/followers',
      'GET /2/users/:id/followers',
    ]);
    expect(bot.x.requests('/followers').every((r) => r.query.includes('max_results=10&'))).toBe(true);
  });

  it('keeps paging after a restart of the bot between two clicks', async () => {
    seed(25);
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    const second = await bot.discord.click(first, buttonId(first, 'Next')).reply();
    await bot.restart();
    const third = await bot.discord
      .click(second, buttonId(second, 'Next'))
      .reply((m) => names(m)[0] === 'fan4');
    expect(third.id).toBe(first.id);
  });

  it('lets only the person who ran the command turn the pages', async () => {
    seed(25);
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    const other = bot.discord.addUser('someone');
    const click = bot.discord.click(first, buttonId(first, 'Next'), { user: other });
    const note = await click.reply();
    expect(note.flags & 64).toBe(64);
    expect(note.content).toMatch(/^Only <@\d+> can turn these pages\. Run `\/followers` yourself/);
    expect(note.allowed_mentions).toEqual({ parse: [] });
    expect(names(first)[0]).toBe('fan24');
    expect(xRequests(bot)).toBe(1);
  });

  it('disables the buttons with a note once the list has expired', async () => {
    seed(25);
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    bot.clock.advance(bot.config.paging.expiryMs + 1);
    const expired = await bot.discord
      .click(first, buttonId(first, 'Next'))
      .reply((m) => v2Text(m).includes('expired'));
    expect(v2Text(expired)).toMatch(/These buttons have expired\. Run the command again/);
    expect(expired.flags & V2).toBe(V2);
    expect(names(expired)[0]).toBe('fan24');
    expect(allComponents(expired).length).toBeLessThanOrEqual(40);
    expect(buttons(expired).every((b) => b.disabled)).toBe(true);
    expect(xRequests(bot)).toBe(1);
  });

  it('pages a 5,000-follower account to its end', async () => {
    seed(5000);
    // 500 pages is more than X's 300 requests per 15 minutes; this test is about paging, not limits.
    bot.x.limiter.limits['GET /2/users/:id/followers'] = { app: 1000 };
    let message = await bot.discord.command('followers', { user: 'star' }).reply();
    for (let page = 2; page <= 500; page++) {
      const expected = `fan${5000 - (page - 1) * 10 - 1}`;
      message = await bot.discord
        .click(message, buttonId(message, 'Next'))
        .reply((m) => names(m)[0] === expected);
    }
    expect(names(message)).toEqual([
      'fan9',
      'fan8',
      'fan7',
      'fan6',
      'fan5',
      'fan4',
      'fan3',
      'fan2',
      'fan1',
      'fan0',
    ]);
    expect(v2Text(message)).toContain('Page 500 of 500 · 5,000 followers');
    expect(xRequests(bot)).toBe(500);
  }, 120_000);

  it('handles two fast clicks with one acknowledgement each and an untorn message', async () => {
    seed(25);
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    const next = buttonId(first, 'Next');
    const a = bot.discord.click(first, next);
    const b = bot.discord.click(first, next);
    await Promise.all([a.reply(), b.reply()]);
    for (const click of [a, b]) expect(click.callbacks.map((c) => c.status)).toEqual([204]);
    const now = bot.discord.messages(bot.discord.general.id).find((m) => m.id === first.id);
    expect(names(now as Message)[0]).toBe('fan14');
  });
});

describe('Go to page', () => {
  it('opens a form once four pages can be opened, and turns to the page typed in', async () => {
    seed(45);
    let message = await bot.discord.command('followers', { user: 'star' }).reply();
    expect(buttons(message).map((b) => b.label)).not.toContain('Go to page');
    for (const first of ['fan34', 'fan24', 'fan14'])
      message = await bot.discord
        .click(message, buttonId(message, 'Next'))
        .reply((m) => names(m)[0] === first);
    const ask = bot.discord.click(message, buttonId(message, 'Go to page'));
    expect((await ask.acknowledgement()).type).toBe(9);
    const form = ask.modal as {
      custom_id: string;
      title: string;
      components: { components: { label: string }[] }[];
    };
    expect(form.title).toBe('Go to page');
    expect(form.components[0]?.components[0]?.label).toBe('Page (1 to 5)');

    const jump = bot.discord.submitModal(form.custom_id, { page: ' 2 ' }, {}, message);
    const second = await jump.reply((m) => names(m)[0] === 'fan34');
    expect(second.id).toBe(message.id);
    expect(second.flags & V2).toBe(V2);
    expect(pageLine(second)).toBe('Page 2 · 45 followers');
    expect(jump.callbacks.map((c) => c.type)).toEqual([7]);

    for (const typed of ['9', '0', 'two']) {
      const refused = await bot.discord.submitModal(form.custom_id, { page: typed }, {}, message).reply();
      expect(refused.flags & 64).toBe(64);
      expect(refused.content).toMatch(/pick a page from 1 to 5\. X hands out a list page by page/);
    }
    expect(names(message)[0]).toBe('fan34');
    expect(xRequests(bot)).toBe(4);
  });

  it('is disabled with the other buttons once the list has expired, within 40 components', async () => {
    seed(45);
    let message = await bot.discord.command('followers', { user: 'star' }).reply();
    for (const first of ['fan34', 'fan24', 'fan14'])
      message = await bot.discord
        .click(message, buttonId(message, 'Next'))
        .reply((m) => names(m)[0] === first);
    bot.clock.advance(bot.config.paging.expiryMs + 1);
    const expired = await bot.discord
      .click(message, buttonId(message, 'Prev'))
      .reply((m) => v2Text(m).includes('expired'));
    expect(allComponents(expired)).toHaveLength(40);
    expect(buttons(expired).map((b) => [b.label, b.disabled])).toEqual([
      ['First', true],
      ['Prev', true],
      ['Page 4', true],
      ['Next', true],
      ['Go to page', true],
    ]);
  });

  it('is for the list owner only', async () => {
    seed(45);
    let message = await bot.discord.command('followers', { user: 'star' }).reply();
    for (const first of ['fan34', 'fan24', 'fan14'])
      message = await bot.discord
        .click(message, buttonId(message, 'Next'))
        .reply((m) => names(m)[0] === first);
    const other = bot.discord.addUser('someone');
    const note = await bot.discord.click(message, buttonId(message, 'Go to page'), { user: other }).reply();
    expect(note.flags & 64).toBe(64);
    expect(note.content).toMatch(/^Only <@\d+> can turn these pages/);
  });
});

describe('a list posted as an embed before lists were V2', () => {
  /** Makes the stored message what Flock posted before: an embed and one row of page buttons. */
  function asOldEmbed(message: Message): Message {
    const stored = bot.discord.messages(bot.discord.general.id).find((m) => m.id === message.id) as Message;
    const row = allComponents(stored).find((c) => c.type === 1);
    stored.flags &= ~V2;
    stored.embeds = [{ title: 'Followers of Star Account (@star)', description: 'old page' }];
    stored.components = row ? [row] : [];
    return stored;
  }

  it('becomes a V2 message, its embed cleared, on the first click', async () => {
    seed(25);
    const old = asOldEmbed(await bot.discord.command('followers', { user: 'star' }).reply());
    const click = bot.discord.click(old, buttonId(old, 'Next'));
    const second = await click.reply();
    // close() also checks that Discord accepted the upgrade.
    expect(click.callbacks.map((c) => c.status)).toEqual([204]);
    expect(second.id).toBe(old.id);
    expect(second.flags & V2).toBe(V2);
    expect(second.embeds).toEqual([]);
    expect(second.content).toBe('');
    expect(names(second)[0]).toBe('fan14');
    const back = await bot.discord
      .click(second, buttonId(second, 'Prev'))
      .reply((m) => names(m)[0] === 'fan24');
    expect(back.flags & V2).toBe(V2);
  });

  it('becomes V2 in the edit after a deferred update when X is slow', async () => {
    seed(25);
    const old = asOldEmbed(await bot.discord.command('followers', { user: 'star' }).reply());
    bot.x.faults.add({ match: '/followers', latencyMs: 2000 });
    const click = bot.discord.click(old, buttonId(old, 'Next'));
    expect((await click.acknowledgement()).type).toBe(6);
    const second = await click.reply();
    expect(second.flags & V2).toBe(V2);
    expect(second.embeds).toEqual([]);
    expect(names(second)[0]).toBe('fan14');
  });

  it('is disabled with a note in its content once expired, and stays an embed', async () => {
    seed(25);
    const old = asOldEmbed(await bot.discord.command('followers', { user: 'star' }).reply());
    bot.clock.advance(bot.config.paging.expiryMs + 1);
    const expired = await bot.discord.click(old, buttonId(old, 'Next')).reply((m) => m.content !== '');
    expect(expired.content).toMatch(/expired/);
    expect(expired.flags & V2).toBe(0);
    expect(expired.embeds).toHaveLength(1);
    expect(buttons(expired).every((b) => b.disabled)).toBe(true);
  });
});

describe('forged page buttons', () => {
  it('answers a page number that is not a page privately, and changes nothing', async () => {
    seed(25);
    const first = await bot.discord.command('followers', { user: 'star' }).reply();
    const session = buttonId(first, 'Next').split(':')[2];
    // Discord only sends custom_ids that are on the message: forge one there, as a modified
    // older message (or a client Discord failed to check) would carry it.
    const stored = bot.discord.messages(bot.discord.general.id).find((m) => m.id === first.id) as Message;
    const next = buttons(stored).find((b) => b.label === 'Next');
    if (!next) throw new Error('no Next button');
    const before = v2Text(stored);
    for (const page of ['abc', '-1', '99999', '1e3', '2', '']) {
      const forged = `page:go:${session}:${page}:n`;
      next.custom_id = forged;
      const note = await bot.discord.click(stored, forged).reply();
      expect(note.id).not.toBe(first.id);
      expect(note.flags & 64).toBe(64);
      expect(note.content).toBe(
        'That button does not lead to a page of this list. Use the buttons under the list to turn its pages.',
      );
      expect(v2Text(stored)).toBe(before);
      expect(v2Text(stored)).not.toContain('NaN');
    }
    expect(xRequests(bot)).toBe(1);

    // The real buttons still work.
    next.custom_id = `page:go:${session}:1:n`;
    const second = await bot.discord.click(stored, `page:go:${session}:1:n`).reply();
    expect(names(second)[0]).toBe('fan14');
    expect(v2Text(second)).toContain('Page 2 · 25 followers');
  });
});
