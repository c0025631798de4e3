/** A list page shows the names X holds as text: no link, markdown, ping or hidden character from X. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectMessageInert, HOSTILE, readMarkdown } from '../support/discord-markdown.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

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
    expectMessageInert(page);
    const embed = page.embeds[0] as { title: string; url: string; description: string };
    expect(readMarkdown(embed.title).visible).toBe(`Followers of ${HOSTILE.name} (@star)`);
    expect(embed.url).toBe('https://x.com/star/followers');

    const lines = readMarkdown(embed.description).visible.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(`**${HOSTILE.name}** @${HOSTILE.username} ([profile](https://x.com/i/user/`);
    expect(lines[1]).toContain(
      '**> quoted # heading -# small <@666> @everyone** [@lines](https://x.com/lines)',
    );
    expect(lines[2]).toContain('**@ghost_1** [@ghost_1](https://x.com/ghost_1)');
    expect(lines[3]).toContain(`**${HOSTILE.name}** [@mallory](https://x.com/mallory)`);
    expect(readMarkdown(embed.description).links.map((l) => l.url)).toEqual([
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
    const embed = page.embeds[0] as { title: string; url: string; description: string };
    expect(readMarkdown(embed.title).visible).toBe(`Followed by @${HOSTILE.username} (@${HOSTILE.username})`);
    expect(embed.url).toBe(`https://x.com/i/user/${odd.id}`);
    expect(readMarkdown(embed.description).visible).toBe(
      `@${HOSTILE.username} doesn't follow anyone that X shows.`,
    );
  });
});
