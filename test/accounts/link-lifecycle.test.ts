/**
 * A link's life when things happen at once or go wrong: refresh racing /unlink or a relink, an
 * encryption key that changed, a record that no longer opens. Each case once lost or resurrected
 * tokens; each is checked against what X and Discord hold afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFlock } from '../../src/app.js';
import { StartupError } from '../../src/startup-error.js';
import type { Interaction } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { queryFile } from '../store/sqlite-rows.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness;
let me: EmuUser;
beforeEach(async () => {
  bot = await startBot();
  me = bot.x.world.addUser({ username: 'me_on_x' });
  bot.x.world.addUser({ username: 'star' });
});
afterEach(() => bot.close());

const owner = () => bot.discord.owner;
const tokenRequests = () =>
  bot.x.log.filter((e) => e.method === 'POST' && e.path === '/2/oauth2/token').length;
const content = async (interaction: Interaction) =>
  shown((await interaction.reply((m) => m.content !== '')).content);

describe('one lock per user over refresh, unlink and linking', () => {
  it('revokes the tokens a refresh stored when /unlink arrives during that refresh', async () => {
    await bot.link(owner(), me.id);
    bot.clock.advance(2 * 60 * 60_000);
    const before = tokenRequests();
    // X rotates the pair at once but its answer is slow: /unlink arrives in between.
    bot.x.faults.add({ match: 'POST /2/oauth2/token', answerAfterMs: 400 });
    const follow = bot.discord.command('follow', { user: 'star' });
    await expect.poll(tokenRequests).toBe(before + 1);
    const unlink = bot.discord.command('unlink');
    // The follow went through with the refreshed token, or found the link gone by the time it ran.
    expect(['You now follow **@star** on X.', 'First link your X account with `/link`.']).toContain(
      await content(follow),
    );
    expect(await content(unlink)).toMatch(/^Unlinked \*\*@me\\_on\\_x\*\*: Flock revoked its access/);
    expect(bot.x.auth.liveTokens(me.id)).toEqual({ access: 0, refresh: 0 });
    expect(await bot.flock.services.linked.get(owner().id)).toBeUndefined();
  });

  it('keeps a relink that finishes while a refresh of the old grant is being refused', async () => {
    await bot.link(owner(), me.id);
    const second = bot.x.world.addUser({ username: 'second_x' });
    // The relink gets as far as X's answer...
    const browser = new WebClient();
    const reply = await bot.discord.command('link').reply();
    const relink = bot.discord.click(reply, 'link:relink');
    const button = await relink.reply((m) => m.content.startsWith('Connect'));
    const toDiscord = await browser.visit(linkButtonUrl(button));
    const toX = await browser.visit(bot.discord.approve(toDiscord.location ?? '', owner()));
    const callback = bot.x.approve(toX.location ?? '', second.id);
    // ...while the old grant, revoked on x.com, is being refreshed (after X refused its access
    // token), and X's refusal is slow.
    bot.x.auth.revokeUser(me.id);
    const before = tokenRequests();
    bot.x.faults.add({ match: 'POST /2/oauth2/token', answerAfterMs: 400 });
    const follow = bot.discord.command('follow', { user: 'star' });
    await expect.poll(tokenRequests).toBe(before + 1);
    expect((await browser.visit(callback)).title).toBe('Linked as @second_x');
    expect(await content(follow)).toMatch(/^Your X link stopped working/);
    expect(await bot.flock.services.linked.get(owner().id)).toMatchObject({ xUserId: second.id });
    expect(bot.x.auth.liveTokens(second.id)).toEqual({ access: 1, refresh: 1 });
  });
});

describe('the token encryption key', () => {
  it('refuses to start with a different key, naming the key and the way out', async () => {
    await bot.link(owner(), me.id);
    await bot.flock.stop();
    const other = {
      ...bot.config,
      tokenEncryptionKey: Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)),
    };
    const failed = await startFlock(other, { clock: bot.clock, autoPoll: false }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StartupError);
    expect((failed as Error).message).toMatch(
      /^TOKEN_ENCRYPTION_KEY is not the key that encrypted the stored X tokens: set it back .* `npm run forget-links`/,
    );
    // The failed start left nothing open: the same store starts again with the right key.
    await bot.restart();
    expect(await bot.flock.services.linked.get(owner().id)).toMatchObject({ xUserId: me.id });
  });

  it('counts a record that no longer opens as no link, and says to link again', async () => {
    await bot.link(owner(), me.id);
    await bot.flock.stop();
    // Someone edits the sealed tokens in the database file.
    const file = `${bot.dataDir}/flock.sqlite`;
    const [row] = await queryFile<{ key: string; value: string }>(
      file,
      "SELECT key, value FROM keyv WHERE key LIKE 'links:%'",
    );
    const tampered = String(row?.value).replace(
      /"data":"(.)/,
      (_, c: string) => `"data":"${c === 'A' ? 'B' : 'A'}`,
    );
    await queryFile(file, 'UPDATE keyv SET value = ? WHERE key = ?', tampered, row?.key);
    await bot.restart();
    expect(await content(bot.discord.command('follow', { user: 'star' }))).toBe(
      'First link your X account with `/link`.',
    );
    expect((await bot.discord.command('link').reply()).content).toMatch(/^Connect your X account/);
    expect(bot.logs.some((l) => l.includes('could not be decrypted; it counts as unlinked'))).toBe(true);
  });
});
