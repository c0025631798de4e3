/**
 * The whole linking flow in a real headless Chromium, through Discord's consent page and X's, and
 * the attack it exists to stop: B's browser, signed in to Discord as B, opening A's link.
 */
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordUser } from '../emulators/discord/guilds.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';

let browser: Browser;
let bot: BotHarness;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(() => browser.close());
beforeEach(async () => {
  bot = await startBot();
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await bot.close();
});

/** A browser of its own (its own cookies), signed in to the Discord emulator as `user`. */
async function browserOf(user: DiscordUser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const next = `${bot.discord.url}/emulator/signed-in`;
  await page.goto(`${bot.discord.url}/emulator/sign-in?user=${user.id}&next=${encodeURIComponent(next)}`);
  return page;
}

describe('linking in a browser', () => {
  it('goes from /link through Discord’s and X’s consent pages to the success page and the edited reply', async () => {
    const alice = bot.x.world.addUser({ username: 'alice_x', name: 'Alice' });
    for (const fan of bot.x.world.addUsers(12, 'fan')) bot.x.world.follow(fan.id, alice.id);
    bot.x.signedInUserId = alice.id;
    const interaction = bot.discord.command('link');
    const reply = await interaction.reply();
    expect(reply.flags & 64).toBe(64);
    const url = linkButtonUrl(reply);
    expect(url).toMatch(new RegExp(`^${bot.config.web.publicUrl}/link/[\\w-]{22}$`));

    const page = await browserOf(bot.discord.owner);
    await page.goto(url);
    expect(page.url()).toContain(`${bot.discord.authorizeUrl}?`);
    await expect.poll(() => page.textContent('h1')).toBe('Flock wants to access your account');
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.x.url}/i/oauth2/authorize?**`);
    await expect.poll(() => page.textContent('h1')).toBe('Flock wants to access your X account');
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.config.web.publicUrl}/oauth/callback?**`);
    expect(await page.textContent('h1')).toBe('Linked as @alice_x');
    expect(await page.textContent('main')).toContain('You can close this tab and return to Discord.');
    await page.screenshot({ path: `${bot.dataDir}/linked.png` });

    const edited = await interaction.reply((m) => m.content.startsWith('Linked as'));
    expect(shown(edited.content)).toBe(
      'Linked as **@alice\\_x**. You can now use `/follow` and `/unfollow`.',
    );
    expect(edited.components).toEqual([]);
    expect(bot.discord.roleConnections.get(bot.discord.owner.id)?.metadata).toMatchObject({
      x_linked: '1',
      x_followers: '12',
    });
  });

  it("ends with no link for A and no grant at X when B's browser, signed in as B, opens A's link", async () => {
    const mallory = bot.x.world.addUser({ username: 'mallory_x' });
    bot.x.signedInUserId = mallory.id;
    const b = bot.discord.addUser('b');
    const interaction = bot.discord.command('link');
    const url = linkButtonUrl(await interaction.reply());

    const page = await browserOf(b);
    await page.goto(url);
    await expect.poll(() => page.textContent('main')).toContain('Signed in as');
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.config.web.publicUrl}/oauth/discord/callback?**`);
    expect(await page.textContent('h1')).toBe('This link belongs to someone else');
    expect(await page.textContent('main')).toContain('run /link yourself in Discord');

    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
    expect(await bot.flock.services.linked.get(b.id)).toBeUndefined();
    expect(bot.x.auth.liveTokens(mallory.id)).toEqual({ access: 0, refresh: 0 });
    expect(bot.discord.liveGrants(b.id)).toEqual([]);
    await interaction.reply((m) => m.content.startsWith('Someone else opened your link button'));

    // A, opening the link afterwards in A's own browser, finds it burned.
    const own = await browserOf(bot.discord.owner);
    await own.goto(url);
    expect(await own.textContent('h1')).toBe("This link can't be used");
  });

  it('ends on a clear page, with nothing stored, when the user cancels at X', async () => {
    bot.x.signedInUserId = bot.x.world.addUser({ username: 'bob_x' }).id;
    const interaction = bot.discord.command('link');
    const page = await browserOf(bot.discord.owner);
    await page.goto(linkButtonUrl(await interaction.reply()));
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.x.url}/i/oauth2/authorize?**`);
    await page.click('button[value="deny"]');
    await page.waitForURL(`${bot.config.web.publicUrl}/oauth/callback?**`);
    expect(await page.textContent('h1')).toBe('Linking cancelled');
    expect(await page.textContent('main')).toContain('run /link in Discord');
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
    const edited = await interaction.reply((m) => m.content.startsWith('Linking was cancelled'));
    expect(shown(edited.content)).toContain('Run `/link` to try again.');
    // The Discord sign-in made on the way is not kept either.
    expect(bot.discord.liveGrants(bot.discord.owner.id)).toEqual([]);
  });

  it('speaks Japanese from /link to the last page when the user’s Discord and browser are in Japanese', async () => {
    const alice = bot.x.world.addUser({ username: 'alice_x' });
    bot.x.signedInUserId = alice.id;
    const interaction = bot.discord.command('link', {}, { locale: 'ja' });
    const reply = await interaction.reply();
    expect(reply.content).toMatch(
      /^X アカウントを連携すると、Discord からフォローとフォロー解除ができます。/,
    );

    const page = await browserOf(bot.discord.owner, { locale: 'ja-JP' });
    // Chromium sends its locale as Accept-Language: a page with no attempt is in Japanese too.
    await page.goto(`${bot.config.web.publicUrl}/nowhere`);
    expect(await page.textContent('h1')).toBe('ページが見つかりません');
    await page.goto(linkButtonUrl(reply));
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.x.url}/i/oauth2/authorize?**`);
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.config.web.publicUrl}/oauth/callback?**`);
    expect(await page.textContent('h1')).toBe('@alice_x として連携しました');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('main')).toContain('このタブを閉じて Discord に戻ってかまいません。');
    await page.screenshot({ path: `${bot.dataDir}/linked-ja.png` });

    const edited = await interaction.reply((m) => m.content.includes('連携しました'));
    expect(shown(edited.content)).toBe(
      '**@alice\\_x** として連携しました。`/follow` と `/unfollow` が使えるようになりました。',
    );
  });
});
