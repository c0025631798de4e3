/** Alerts show followers' names and bios as text: nothing live, nothing hidden, within Discord's limits. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectMessageInert, HOSTILE, readMarkdown } from '../support/discord-markdown.js';
import { allComponents, textDisplays, thumbnails, v2Text } from '../support/v2-message.js';

let bot: BotHarness;
let star: EmuUser;
beforeEach(async () => {
  bot = await startBot({ ALERTS_SOURCE: 'poll' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
  for (const fan of bot.x.world.addUsers(3, 'old'))
    bot.x.world.follow(fan.id, star.id, bot.clock.now() - 100_000);
});
afterEach(() => bot.close());

const tick = () => bot.flock.services.alerts.schedule.tick();
async function poll() {
  bot.clock.advance(10 * 60_000);
  await tick();
}
const posted = (): Message[] => bot.discord.messages(bot.discord.alerts.id);
async function add(account: string, events = 'both') {
  await bot.discord.command('alerts', { account, channel: bot.discord.alerts.id, events }, {}, 'add').reply();
  await tick();
}

describe('follower alerts', () => {
  it('show a new follower with a hostile name and bio as text', async () => {
    await add('@star');
    const mallory = bot.x.world.addUser({
      username: 'mallory',
      name: HOSTILE.name,
      description: HOSTILE.bio,
    });
    bot.clock.advance(1000);
    bot.x.world.follow(mallory.id, star.id);
    await poll();
    const [message] = posted();
    if (!message) throw new Error('no alert');
    expectMessageInert(message);
    expect(message.flags & (1 << 15)).toBe(1 << 15);
    const lines = readMarkdown(textDisplays(message)[1] ?? '').visible.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `**New follower: ${HOSTILE.name}**`,
      '[@mallory](https://x.com/mallory) · 0 followers',
      '# Official X support',
      '-# verified by X',
      '> Your account is locked.',
    ]);
    expect(message.allowed_mentions).toEqual({ parse: [], roles: [] });
  });

  it('show a lost follower with a hostile name and an impossible username as text, linked by id', async () => {
    const odd = bot.x.world.addUser({ username: HOSTILE.username, name: `\u202E${HOSTILE.name}` });
    bot.x.world.follow(odd.id, star.id, bot.clock.now() - 50_000);
    await add('@star', 'lost');
    bot.x.world.unfollow(odd.id, star.id);
    await poll();
    const [message] = posted();
    if (!message) throw new Error('no alert');
    expectMessageInert(message);
    expect(readMarkdown(textDisplays(message)[1] ?? '').visible).toBe(
      `**Unfollowed: ${HOSTILE.name}**\n@${HOSTILE.username} ([profile](https://x.com/i/user/${odd.id})) · 0 followers`,
    );
  });

  it('name an impossible tracked account and 70 impossible followers in text, within V2 limits', async () => {
    const odd = bot.x.world.addUser({ username: `<@666>${HOSTILE.username}`, name: HOSTILE.name });
    await add(odd.id, 'new');
    for (let n = 0; n < 70; n++) {
      const fan = bot.x.world.addUser({
        username: `@everyone[${n}](https://evil.example/${n})_*`,
        name: `${HOSTILE.name}${n}`,
        description: HOSTILE.bio,
      });
      bot.clock.advance(1000);
      bot.x.world.follow(fan.id, odd.id);
    }
    await poll();
    const [message] = posted();
    if (!message) throw new Error('no alert');
    expectMessageInert(message);
    const head = textDisplays(message)[0] ?? '';
    expect(head.length).toBeLessThanOrEqual(600);
    expect(v2Text(message).length).toBeLessThanOrEqual(4000);
    expect(allComponents(message).length).toBeLessThanOrEqual(40);
    const content = readMarkdown(head);
    // Handles longer than 40 are cut whole, before escaping: no escape is cut in half.
    expect(content.visible).toMatch(
      /^\*\*@<@666>evil\[x\]\(https:\/\/evil\.example\/…\*\* has 70 new followers\.\nAlso: @@everyone\[59\]/,
    );
    expect(content.visible).toMatch(/, and \d+ more\.$/);
    // close() checks that Discord accepted the message.
  });

  it('keep ten followers with long Japanese names and bios within Discord V2 limits in bytes', async () => {
    await add('@star', 'new');
    for (let n = 0; n < 12; n++) {
      const fan = bot.x.world.addUser({
        username: `nihon${n}`,
        name: '日本語の名前'.repeat(30),
        description: 'あいうえお'.repeat(200),
      });
      bot.clock.advance(1000);
      bot.x.world.follow(fan.id, star.id);
    }
    await poll();
    const [message] = posted();
    if (!message) throw new Error('no alert');
    expect(thumbnails(message)).toHaveLength(10);
    const text = v2Text(message);
    expect(text.length).toBeLessThanOrEqual(4000);
    // Discord's undocumented 500 comes past ~10,170 bytes of V2 text.
    expect(Buffer.byteLength(text, 'utf8') + 12 * textDisplays(message).length).toBeLessThan(8000);
    expect(allComponents(message).length).toBeLessThanOrEqual(40);
  });
});
