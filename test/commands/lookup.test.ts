import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { buttons, heading, textDisplays, thumbnails } from '../support/v2-message.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

describe('/lookup', () => {
  it('shows a profile card whose buttons open the lists for whoever clicks', async () => {
    const world = bot.x.world;
    const jack = world.addUser({
      username: 'jack',
      name: 'jack',
      description: 'no state is the best state',
      verified: true,
      tweetCount: 29_000,
      location: 'California',
      createdAt: Date.parse('2006-03-21T20:50:14Z'),
    });
    for (const fan of world.addUsers(3, 'fan')) world.follow(fan.id, jack.id);
    const card = await bot.discord.command('lookup', { user: 'https://x.com/jack' }).reply();
    expect(card.flags).toBe(1 << 15);
    expect(textDisplays(card)).toEqual([
      '**jack** ☑️\n[@jack](https://x.com/jack)\n\nno state is the best state',
      [
        '**3** followers · **0** following · **29,000** posts',
        'Joined <t:1142974214:D> · 📍 California',
        '☑️ Verified',
        `X account id ${jack.id}`,
      ].join('\n'),
    ]);
    expect(thumbnails(card)).toEqual([jack.profileImageUrl.replace('_normal.', '_400x400.')]);
    expect(buttons(card).map((b) => [b.label, b.url])).toEqual([
      ['Followers', undefined],
      ['Following', undefined],
      ['Open on X', 'https://x.com/jack'],
      ['Follow on X', 'https://x.com/intent/follow?screen_name=jack'],
    ]);

    const friend = bot.discord.addUser('friend');
    const click = bot.discord.click(card, buttons(card)[0]?.custom_id ?? '', { user: friend });
    const list = await click.reply();
    expect(list.id).not.toBe(card.id);
    expect(heading(list)).toBe('Followers of jack (@jack)');
    // The new list belongs to the one who clicked.
    const next = buttons(list).find((b) => b.label === 'Next');
    expect(next?.disabled).toBe(true);
    // One lookup for the card; the list reuses it and asks X for its first page only.
    expect(bot.x.requests().map((r) => r.endpoint)).toEqual([
      'GET /2/users/by/username/:username',
      'GET /2/users/:id/followers',
    ]);
  });

  it('disables the list buttons of a protected account', async () => {
    bot.x.world.addUser({ username: 'locked', protected: true });
    const card = await bot.discord.command('lookup', { user: 'locked' }).reply();
    expect(
      buttons(card)
        .filter((b) => b.custom_id)
        .every((b) => b.disabled),
    ).toBe(true);
    expect(heading(card)).toBe('locked 🔒');
    // A protected account can still be followed: X asks it to approve.
    expect(buttons(card).find((b) => b.label === 'Follow on X')?.url).toBe(
      'https://x.com/intent/follow?screen_name=locked',
    );
  });

  it('shows display names and bios as text: no markdown, no mentions', async () => {
    bot.x.world.addUser({
      username: 'prank',
      name: '**@everyone** <@&123>',
      description: '@here _hi_ <#456>',
    });
    const card = await bot.discord.command('lookup', { user: 'prank' }).reply();
    const [who = ''] = textDisplays(card);
    expect(who.split('\n')).toEqual([
      '**\\*\\*\\@everyone\\*\\* \\<@&123>**',
      '[@prank](https://x.com/prank)',
      '',
      '\\@here \\_hi\\_ \\<#456>',
    ]);
    expect(card.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('autocomplete', () => {
  it('suggests accounts recently looked up in this server', async () => {
    for (const name of ['alpha', 'alpine', 'beta'])
      bot.x.world.addUser({ username: name, name: name.toUpperCase() });
    for (const name of ['alpha', 'beta', 'alpine'])
      await bot.discord.command('lookup', { user: name }).reply();
    const choices = await bot.discord.autocomplete('followers', { user: 'al' }, 'user').autocompleteChoices();
    expect(choices).toEqual([
      { name: 'ALPINE (@alpine)', value: 'alpine' },
      { name: 'ALPHA (@alpha)', value: 'alpha' },
    ]);
    const none = await bot.discord.autocomplete('lookup', { user: 'zzz' }, 'user').autocompleteChoices();
    expect(none).toEqual([]);
  });
});

describe('the command list', () => {
  it('names every file in commands/, and only those', () => {
    const files = readdirSync(new URL('../../commands/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(COMMANDS.map((c) => c.data.name).sort()).toEqual(files);
  });

  it('registers commands in the configured guild, and not again when nothing changed', async () => {
    expect(bot.discord.guildCommands.get(bot.discord.guild.id)?.map((c) => c.name)).toEqual(
      COMMANDS.map((c) => c.data.name),
    );
    const puts = () =>
      bot.discord.rest.filter((r) => r.method === 'PUT' && r.path.includes('/commands')).length;
    expect(puts()).toBe(1);
    await bot.restart();
    expect(puts()).toBe(1);
  });
});
