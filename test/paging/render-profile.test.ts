/** The /lookup card shows X's name, bio and location as text: nothing live, nothing hidden. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectMessageInert, HOSTILE, readMarkdown } from '../support/discord-markdown.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

type Card = {
  title: string;
  url: string;
  description: string;
  author: { name: string; url: string };
  footer: { text: string };
  fields: { name: string; value: string }[];
};
const linkButton = (message: Message, label = 'Open on X') =>
  message.components
    .flatMap((row) => row.components as { label?: string; url?: string }[])
    .find((b) => b.label === label)?.url;

describe('the profile card', () => {
  it('shows a hostile name, bio and location as the characters they are', async () => {
    bot.x.world.addUser({
      username: 'mallory',
      name: HOSTILE.name,
      description: HOSTILE.bio,
      location: HOSTILE.location,
    });
    const card = await bot.discord.command('lookup', { user: '@mallory' }).reply();
    expectMessageInert(card);
    const embed = card.embeds[0] as Card;
    expect(readMarkdown(embed.title).visible).toBe(HOSTILE.name);
    expect(embed.url).toBe('https://x.com/mallory');
    const bio = readMarkdown(embed.description);
    expect(bio.visible.split('\n')).toEqual([
      '# Official X support',
      '-# verified by X',
      '> Your account is locked.',
      '- step one',
      '* step two',
      '1. [unlock it here](https://evil.example/b)',
      '<@666> <@&666> <#666> <t:666:R> <:pwn:666> @everyone @here',
      'gnp.exe hiddenx ||spoiler|| `code` ~~gone~~ __under__',
    ]);
    expect(bio.formatting).toEqual([]);
    const location = embed.fields.find((f) => f.name === 'Location');
    expect(readMarkdown(location?.value ?? '').visible).toBe('[home](https://evil.example/c)');
    expect(card.allowed_mentions).toEqual({ parse: [] });
  });

  it('names an account with an impossible username in plain text and links it by id', async () => {
    const odd = bot.x.world.addUser({
      username: `\u202E${HOSTILE.username}`,
      name: '\u200B',
      description: '\u2066\u200D',
      location: '\uFEFF',
    });
    const card = await bot.discord.command('lookup', { user: odd.id }).reply();
    expectMessageInert(card);
    const embed = card.embeds[0] as Card;
    expect(embed.author).toEqual({ name: `@${HOSTILE.username}`, url: `https://x.com/i/user/${odd.id}` });
    expect(readMarkdown(embed.title).visible).toBe(`@${HOSTILE.username}`);
    expect(embed.url).toBe(`https://x.com/i/user/${odd.id}`);
    expect(embed.description).toBeUndefined();
    expect(embed.fields.map((f) => f.name)).not.toContain('Location');
    expect(linkButton(card)).toBe(`https://x.com/i/user/${odd.id}`);
    expect(linkButton(card, 'Follow on X')).toBe(`https://x.com/intent/follow?user_id=${odd.id}`);
  });

  it('keeps a username with URL syntax out of the Follow on X link', async () => {
    const odd = bot.x.world.addUser({ username: 'jack&screen_name=evil/../x?y=1#z' });
    const card = await bot.discord.command('lookup', { user: odd.id }).reply();
    expectMessageInert(card);
    const url = new URL(linkButton(card, 'Follow on X') ?? '');
    expect([url.origin, url.pathname, url.hash]).toEqual(['https://x.com', '/intent/follow', '']);
    expect([...url.searchParams]).toEqual([['user_id', odd.id]]);
    expect(linkButton(card)).toBe(`https://x.com/i/user/${odd.id}`);
  });

  it('keeps a 10,000-character bio inside the embed limits once escaped', async () => {
    bot.x.world.addUser({ username: 'longbio', name: '*'.repeat(500), description: '[x](y) '.repeat(1500) });
    const card = await bot.discord.command('lookup', { user: 'longbio' }).reply();
    const embed = card.embeds[0] as Card;
    expect(embed.title.length).toBeLessThanOrEqual(256);
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.description.endsWith('…')).toBe(true);
    expect(readMarkdown(embed.description).links).toEqual([]);
    // close() checks that Discord accepted every message Flock sent.
  });
});
