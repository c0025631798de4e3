/** The /lookup card shows X's name, bio and location as text: nothing live, nothing hidden. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectMessageInert, HOSTILE, readMarkdown } from '../support/discord-markdown.js';
import { allComponents, buttons, textDisplays, thumbnails, v2Text } from '../support/v2-message.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

const linkButton = (message: Message, label = 'Open on X') =>
  buttons(message).find((b) => b.label === label)?.url;
/** The card's first TextDisplay (name, handle, bio) and its second (counts and facts). */
const parts = (message: Message) => {
  const [who = '', facts = ''] = textDisplays(message);
  return { who, facts };
};

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
    const { who, facts } = parts(card);
    const [name, handle, blank] = readMarkdown(who).visible.split('\n');
    expect([name, handle, blank]).toEqual([`**${HOSTILE.name}**`, '[@mallory](https://x.com/mallory)', '']);
    const bio = readMarkdown(who.slice(who.indexOf('\n\n') + 2));
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
    expect(readMarkdown(facts).visible).toContain('📍 [home](https://evil.example/c)');
    expect(readMarkdown(facts).links).toEqual([]);
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
    const { who, facts } = parts(card);
    expect(readMarkdown(who).visible).toBe(
      `**@${HOSTILE.username}**\n@${HOSTILE.username} ([profile](https://x.com/i/user/${odd.id}))`,
    );
    expect(facts).not.toContain('📍');
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

  it('keeps a 10,000-character bio inside the V2 limits once escaped', async () => {
    bot.x.world.addUser({ username: 'longbio', name: '*'.repeat(500), description: '[x](y) '.repeat(1500) });
    const card = await bot.discord.command('lookup', { user: 'longbio' }).reply();
    const { who } = parts(card);
    expect(v2Text(card).length).toBeLessThanOrEqual(4000);
    expect(who.endsWith('…')).toBe(true);
    expect(readMarkdown(who).links).toEqual([{ label: '@longbio', url: 'https://x.com/longbio' }]);
    // close() checks that Discord accepted every message Flock sent.
  });

  it('keeps a 1,000-character Japanese bio, name and location inside Discord V2 limits in bytes', async () => {
    bot.x.world.addUser({
      username: 'nihon',
      name: '日本語の名前'.repeat(50),
      description: 'あ'.repeat(1000),
      location: '東京'.repeat(200),
      verified: true,
      protected: true,
    });
    const card = await bot.discord.command('lookup', { user: 'nihon' }).reply();
    const text = v2Text(card);
    expect(text).toContain('あ'.repeat(1000));
    expect(text.length).toBeLessThanOrEqual(4000);
    // Discord's undocumented 500 comes past ~10,170 bytes of V2 text.
    expect(Buffer.byteLength(text, 'utf8') + 12 * textDisplays(card).length).toBeLessThan(6000);
    expect(allComponents(card).length).toBeLessThanOrEqual(40);
    expect(card.flags & (1 << 15)).toBe(1 << 15);
  });

  it("shows the 400-pixel avatar as the card's thumbnail", async () => {
    const jack = bot.x.world.addUser({ username: 'jack' });
    const card = await bot.discord.command('lookup', { user: 'jack' }).reply();
    expect(thumbnails(card)).toEqual([jack.profileImageUrl.replace('_normal.', '_400x400.')]);
  });

  it("shows each reader the card in their own words from one cached profile, and X's new bio once it expires", async () => {
    const jack = bot.x.world.addUser({
      username: 'jack',
      name: 'Jack',
      description: 'first bio',
      tweetCount: 12_345,
    });
    const look = (locale: string) => bot.discord.command('lookup', { user: 'jack' }, { locale }).reply();
    // Flock renders a cached profile once per locale: each reader must still get their own words,
    // and their own numbers (Spain and Latin America group digits differently).
    const [en, ja, es, es419, enAgain] = [
      await look('en-US'),
      await look('ja'),
      await look('es-ES'),
      await look('es-419'),
      await look('en-US'),
    ];
    expect(parts(en).who).toContain('first bio');
    expect(parts(en).facts).toContain('**12,345** posts');
    expect(parts(ja).facts).toContain('フォロワー');
    expect(buttons(ja).map((b) => b.label)).not.toEqual(buttons(en).map((b) => b.label));
    expect(parts(es).facts).toContain('**12.345**');
    expect(parts(es419).facts).toContain('**12,345**');
    expect(v2Text(enAgain)).toBe(v2Text(en));
    expect(bot.x.requests(/users\/by\/username/)).toHaveLength(1);

    jack.description = 'second bio';
    bot.clock.advance(11 * 60_000);
    expect(parts(await look('en-US')).who).toContain('second bio');
  });
});
