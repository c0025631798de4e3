/** The whole linking flow in a real headless Chromium, from the /link button to the edited reply. */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';

let browser: Browser;
let bot: BotHarness;

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
afterEach(() => bot.close());

describe('linking in a browser', () => {
  it('goes from /link through X’s consent page to Flock’s success page and the edited reply', async () => {
    const alice = bot.x.world.addUser({ username: 'alice_x', name: 'Alice' });
    bot.x.signedInUserId = alice.id;
    const interaction = bot.discord.command('link');
    const reply = await interaction.reply();
    expect(reply.flags & 64).toBe(64);
    const url = linkButtonUrl(reply);
    expect(url).toMatch(new RegExp(`^${bot.config.web.publicUrl}/oauth/start/[\\w-]{22}$`));

    const page = await browser.newPage();
    await page.goto(url);
    expect(page.url()).toContain(`${bot.x.url}/i/oauth2/authorize?`);
    await expect.poll(() => page.textContent('h1')).toBe('Flock wants to access your X account');
    await page.click('button[value="approve"]');
    await page.waitForURL(`${bot.config.web.publicUrl}/oauth/callback?**`);
    expect(await page.textContent('h1')).toBe('Linked as @alice_x');
    expect(await page.textContent('main')).toContain('You can close this tab and return to Discord.');
    await page.screenshot({ path: `${bot.dataDir}/linked.png` });
    await page.close();

    const edited = await interaction.reply((m) => m.content.startsWith('Linked as'));
    expect(edited.content).toBe('Linked as **@alice_x**. You can now use `/follow` and `/unfollow`.');
    expect(edited.components).toEqual([]);
    const again = await bot.discord.command('link').reply();
    expect(again.content).toContain('linked to X as **@alice_x**');
  });

  it('ends on a clear page, with nothing stored, when the user cancels at X', async () => {
    bot.x.signedInUserId = bot.x.world.addUser({ username: 'bob_x' }).id;
    const interaction = bot.discord.command('link');
    const page = await browser.newPage();
    await page.goto(linkButtonUrl(await interaction.reply()));
    await page.click('button[value="deny"]');
    await page.waitForURL(`${bot.config.web.publicUrl}/oauth/callback?**`);
    expect(await page.textContent('h1')).toBe('Linking cancelled');
    expect(await page.textContent('main')).toContain('run /link in Discord');
    await page.close();
    expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
    const edited = await interaction.reply((m) => m.content.startsWith('Linking was cancelled'));
    expect(edited.content).toContain('Run `/link` to try again.');
  });
});
