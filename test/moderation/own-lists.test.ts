/**
 * /blocks and /mutes: the linked account's own lists, private, paged with the user's own token,
 * kept sealed for the UTC day and deleted with the link, within X's 15-reads-a-quarter limit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { queryFile } from '../store/sqlite-rows.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectMessageInert, HOSTILE, shown } from '../support/discord-markdown.js';
import { allComponents, buttonId, buttons, listedNames as names, v2Text } from '../support/v2-message.js';

const V2 = 1 << 15;
const EPHEMERAL = 64;

let bot: BotHarness;
let me: EmuUser;

beforeEach(async () => {
  bot = await startBot();
  me = bot.x.world.addUser({ username: 'me_on_x' });
  expect(await bot.link(bot.discord.owner, me.id)).toContain('Linked as @me_on_x');
});
afterEach(() => bot.close());

/** `count` accounts `me` blocks (or mutes), `${prefix}0` the oldest: the list shows the newest first. */
function seed(kind: 'blocks' | 'mutes', count: number, prefix = kind === 'blocks' ? 'blocked' : 'muted') {
  const world = bot.x.world;
  const users = world.addUsers(count, prefix);
  const start = bot.clock.now() - count * 1000;
  for (const [n, user] of users.entries()) {
    if (kind === 'blocks') world.block(me.id, user.id, start + n * 1000);
    else world.mutes.add(me.id, user.id, start + n * 1000);
  }
  return users;
}

const reads = (list: 'blocking' | 'muting') => bot.x.requests(`GET /2/users/:id/${list}`);
const next = (message: Message, expectFirst: string) =>
  bot.discord.click(message, buttonId(message, 'Next')).reply((m) => names(m)[0] === expectFirst);

describe('/blocks', () => {
  it('pages the account’s own blocks privately, with the user’s token, ten at a time, revisits free', async () => {
    const blocked = seed('blocks', 25);
    const first = await bot.discord.command('blocks').reply();
    expect(first.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(first.flags & V2).toBe(V2);
    expect(names(first)).toEqual(Array.from({ length: 10 }, (_, i) => `blocked${24 - i}`));
    const text = v2Text(first);
    expect(text).toContain('**Accounts you block** ([@me\\_on\\_x](https://x.com/me_on_x))\nPage 1');
    // Block writes are Enterprise only: the list says how to block on X instead.
    expect(text).toContain("Flock can't block or unblock for you: X allows that only to Enterprise apps.");

    const second = await next(first, 'blocked14');
    const third = await next(second, 'blocked4');
    expect(names(third)).toEqual(['blocked4', 'blocked3', 'blocked2', 'blocked1', 'blocked0']);
    expect(v2Text(third)).toContain('Page 3 of 3');
    expect(buttons(third).find((b) => b.label === 'Next')?.disabled).toBe(true);
    const back = await bot.discord
      .click(third, buttonId(third, 'First'))
      .reply((m) => names(m)[0] === 'blocked24');
    await next(back, 'blocked14');

    // Three pages read, each at max_results=10 with the user's own token; going back was free.
    expect(reads('blocking').map((r) => [r.credential, r.status])).toEqual([
      [`user:${me.id}`, 200],
      [`user:${me.id}`, 200],
      [`user:${me.id}`, 200],
    ]);
    expect(reads('blocking').every((r) => /[?&]max_results=10(&|$)/.test(r.query))).toBe(true);
    // Billed as block reads at $0.001 each, and Flock's meter agrees.
    expect(bot.x.billing.day().readsByKind.block).toBe(25);
    expect(
      bot.flock.services.x.billedToday(
        'block',
        blocked.map((u) => u.id),
      ),
    ).toBe(25);
  });

  it('lets only its owner turn the pages', async () => {
    seed('blocks', 15);
    const first = await bot.discord.command('blocks').reply();
    const stranger = bot.discord.addUser('stranger');
    const note = await bot.discord.click(first, buttonId(first, 'Next'), { user: stranger }).reply();
    expect(note.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(note.content).toMatch(/^Only <@\d+> can turn these pages\. Run `\/blocks` yourself/);
    expect(note.content).not.toContain('blocked');
    expect(reads('blocking')).toHaveLength(1);
  });

  it('keeps its buttons after a restart, and the day’s pages with them', async () => {
    seed('blocks', 25);
    const first = await bot.discord.command('blocks').reply();
    const second = await next(first, 'blocked14');
    await bot.restart();
    const third = await next(second, 'blocked4');
    expect(third.id).toBe(first.id);
    await bot.discord.click(third, buttonId(third, 'Prev')).reply((m) => names(m)[0] === 'blocked14');
    expect(reads('blocking')).toHaveLength(3);
  });

  it('shows an empty list in plain words, and hostile names as text', async () => {
    const empty = await bot.discord.command('blocks').reply();
    expect(v2Text(empty)).toContain("You don't block anyone on X.");
    const odd = bot.x.world.addUser({ username: HOSTILE.username, name: HOSTILE.name });
    bot.x.world.block(me.id, odd.id);
    // Today's first page is kept: the new block shows tomorrow, or now on X.
    bot.clock.advance(24 * 60 * 60_000);
    const page = await bot.discord.command('blocks').reply();
    expectMessageInert(page);
    expect(allComponents(page).length).toBeLessThanOrEqual(40);
  });
});

describe('/mutes', () => {
  it('pages the mutes, and keeps them for the UTC day only', async () => {
    seed('mutes', 12);
    const first = await bot.discord.command('mutes').reply();
    expect(first.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(v2Text(first)).toContain('**Accounts you mute**');
    expect(shown(v2Text(first))).toContain('`/mute` and `/unmute` change it.');
    const second = await next(first, 'muted1');
    expect(names(second)).toEqual(['muted1', 'muted0']);
    // Asked again the same day: nothing is read again.
    await bot.discord.command('mutes').reply();
    expect(reads('muting')).toHaveLength(2);
    // A new UTC day reads afresh.
    bot.clock.advance(24 * 60 * 60_000);
    await bot.discord.command('mutes').reply();
    expect(reads('muting')).toHaveLength(3);
  });

  it('respects X’s 15 reads a quarter hour with a polite “try again”, sending nothing more', async () => {
    seed('mutes', 200);
    let page = await bot.discord.command('mutes').reply();
    for (let n = 1; n < 15; n++) page = await next(page, `muted${199 - n * 10}`);
    expect(reads('muting')).toHaveLength(15);
    const refused = await bot.discord.click(page, buttonId(page, 'Next')).reply();
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toMatch(
      /^X limits how often Flock may read your mutes, and that limit is used up for now\. Try again <t:\d+:R>;/,
    );
    expect(reads('muting')).toHaveLength(15);
    expect(bot.x.requests().filter((r) => r.status === 429)).toEqual([]);
    bot.clock.advance(15 * 60_000 + 1000);
    await next(page, 'muted49');
    expect(reads('muting')).toHaveLength(16);
  });
});

describe('what is kept', () => {
  it('keeps the day’s pages sealed in the store, and deletes them with the link', async () => {
    seed('blocks', 3, 'secretblock');
    seed('mutes', 3, 'secretmute');
    await bot.discord.command('blocks').reply();
    await bot.discord.command('mutes').reply();
    await bot.flock.stop();
    const file = `${bot.dataDir}/flock.sqlite`;
    const rows = await queryFile<{ key: string; value: string }>(file, 'SELECT key, value FROM keyv');
    const kept = rows.filter((r) => r.key.startsWith('own-list-pages:'));
    expect(kept.map((r) => r.key).sort()).toEqual([
      `own-list-pages:${bot.discord.owner.id}:blocking`,
      `own-list-pages:${bot.discord.owner.id}:muting`,
    ]);
    // Whom someone blocks or mutes is nowhere in the file in plain text.
    expect(rows.filter((r) => /secret(block|mute)/.test(r.value))).toEqual([]);

    await bot.restart();
    const unlinked = await bot.discord.command('unlink').reply((m) => m.content !== '');
    expect(unlinked.content).toMatch(/^Unlinked/);
    await bot.flock.stop();
    const after = await queryFile<{ key: string }>(
      file,
      "SELECT key FROM keyv WHERE key LIKE 'own-list-pages:%'",
    );
    expect(after).toEqual([]);
    await bot.restart();
  });

  it('stops an open list when the user unlinks, asking X nothing', async () => {
    seed('blocks', 15);
    const first = await bot.discord.command('blocks').reply();
    await bot.discord.command('unlink').reply((m) => m.content !== '');
    const before = bot.x.requests().length;
    const note = await bot.discord.click(first, buttonId(first, 'Next')).reply();
    expect(shown(note.content)).toBe('First link your X account with `/link`.');
    expect(bot.x.requests().length).toBe(before);
  });
  it('does not show a list of one X account once the user is linked to another', async () => {
    seed('blocks', 15);
    const first = await bot.discord.command('blocks').reply();
    await bot.discord.command('unlink').reply((m) => m.content !== '');
    const other = bot.x.world.addUser({ username: 'other_x' });
    expect(await bot.link(bot.discord.owner, other.id)).toContain('Linked as @other_x');
    const before = bot.x.requests().length;
    const note = await bot.discord.click(first, buttonId(first, 'Next')).reply();
    expect(note.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(note.content).toBe(
      "This list belongs to an X account you're no longer linked to. Run the command again to see your current account's.",
    );
    expect(bot.x.requests().length).toBe(before);
  });
});
