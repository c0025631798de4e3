/** A list page shows the names X holds as text: no link, markdown, ping or hidden character from X. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectMessageInert, HOSTILE, readMarkdown } from '../support/discord-markdown.js';
import { allComponents, textDisplays, thumbnails, v2Text } from '../support/v2-message.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

const V2 = 1 << 15;

describe('a list page', () => {
  it('shows a masked-link name, a name of invisible characters and an impossible username as text', async () => {
    const world = bot.x.world;
    const star = world.addUser({ username: 'star', name: HOSTILE.name });
    const followers = [
      world.addUser({ username: 'mallory', name: HOSTILE.name }),
      world.addUser({ username: 'ghost_1', name: '\u200B\u202E\u2066\uFEFF' }),
      world.addUser({ username: 'lines', name: '> quoted\n# heading\n-# small <@666> @everyone' }),
      world.addUser({ username: HOSTILE.username, name: `\u202E${HOSTILE.name}` }),
    ];
    for (const [n, user] of followers.entries()) world.follow(user.id, star.id, bot.clock.now() - 1000 + n);

    const page = await bot.discord.command('followers', { user: '@star' }).reply();
    expect(page.flags & V2).toBe(V2);
    expectMessageInert(page);
    const [heading = '', ...entries] = textDisplays(page);
    expect(readMarkdown(heading).visible.split('\n')[0]).toBe(
      `**Followers of ${HOSTILE.name}** ([@star](https://x.com/star/followers))`,
    );
    expect(readMarkdown(heading).links).toEqual([{ label: '@star', url: 'https://x.com/star/followers' }]);

    const lines = entries.map((text) => readMarkdown(text).visible.replace('\n', ' '));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(`**${HOSTILE.name}** @${HOSTILE.username} ([profile](https://x.com/i/user/`);
    expect(lines[1]).toContain(
      '**> quoted # heading -# small <@666> @everyone** [@lines](https://x.com/lines)',
    );
    expect(lines[2]).toContain('**@ghost_1** [@ghost_1](https://x.com/ghost_1)');
    expect(lines[3]).toContain(`**${HOSTILE.name}** [@mallory](https://x.com/mallory)`);
    expect(entries.flatMap((text) => readMarkdown(text).links.map((l) => l.url))).toEqual([
      `https://x.com/i/user/${followers[3]?.id}`,
      'https://x.com/lines',
      'https://x.com/ghost_1',
      'https://x.com/mallory',
    ]);
  });

  it('titles an account whose username X could not have issued by its handle, links it by id', async () => {
    const odd = bot.x.world.addUser({ username: HOSTILE.username, name: '\u202E\u200B' });
    const page = await bot.discord.command('following', { user: odd.id }).reply();
    expectMessageInert(page);
    const [heading = '', empty = ''] = textDisplays(page);
    const title = readMarkdown(heading);
    expect(title.visible.split('\n')[0]).toBe(
      `**Followed by @${HOSTILE.username}** (@${HOSTILE.username} ([profile](https://x.com/i/user/${odd.id})))`,
    );
    expect(title.links).toEqual([{ label: 'profile', url: `https://x.com/i/user/${odd.id}` }]);
    expect(readMarkdown(empty).visible).toBe(`@${HOSTILE.username} doesn't follow anyone that X shows.`);
  });

  it('fits a full page of ten long Japanese names in Discord V2 limits, with each avatar as a thumbnail', async () => {
    const world = bot.x.world;
    const star = world.addUser({ username: 'star', name: '星'.repeat(200) });
    const fans = world.addUsers(10, 'fan');
    for (const [n, fan] of fans.entries()) {
      fan.name = `${'名前'.repeat(100)}*_[`;
      fan.verified = true;
      fan.protected = n % 2 === 0;
      world.follow(fan.id, star.id, bot.clock.now() - 1000 + n);
    }
    const page = await bot.discord.command('followers', { user: 'star' }).reply();
    const components = allComponents(page);
    expect(components.length).toBeLessThanOrEqual(40);
    expect(components.filter((c) => c.type === 9)).toHaveLength(10);
    const text = v2Text(page);
    expect(text.length).toBeLessThanOrEqual(4000);
    // Discord's undocumented 500 comes past ~10,170 bytes: a page keeps well under half of it.
    expect(Buffer.byteLength(text, 'utf8') + 12 * textDisplays(page).length).toBeLessThan(5000);
    expect(thumbnails(page)).toEqual([...fans].reverse().map((fan) => fan.profileImageUrl));
    expect(text).toContain('☑️ 🔒');
    // close() checks that Discord accepted every message Flock sent.
  });

  it('shows an account without an avatar as text without a thumbnail', async () => {
    const world = bot.x.world;
    const star = world.addUser({ username: 'star' });
    const [plain, pictured] = world.addUsers(2, 'fan');
    if (!plain || !pictured) throw new Error('no fans');
    plain.profileImageUrl = '';
    world.follow(plain.id, star.id, bot.clock.now() - 2000);
    world.follow(pictured.id, star.id, bot.clock.now() - 1000);
    const page = await bot.discord.command('followers', { user: 'star' }).reply();
    expect(thumbnails(page)).toEqual([pictured.profileImageUrl]);
    expect(v2Text(page)).toContain('[@fan0](https://x.com/fan0)');
  });
});
