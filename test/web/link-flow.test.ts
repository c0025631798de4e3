/**
 * The link flow over HTTP, hop by hop, as browsers (each a WebClient with its own cookies) would
 * walk it: only the person who ran /link, in the browser that opened the link, can finish it;
 * every other way ends on a clear page with nothing stored and no grant left alive.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordUser } from '../emulators/discord/guilds.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness;
let alice: EmuUser;
let mallory: EmuUser;
let b: DiscordUser;
beforeEach(async () => {
  bot = await startBot();
  alice = bot.x.world.addUser({ username: 'alice_x' });
  mallory = bot.x.world.addUser({ username: 'mallory_x' });
  b = bot.discord.addUser('b');
});
afterEach(() => bot.close());

const owner = () => bot.discord.owner;
const nothingStored = async () => expect(await bot.flock.services.linked.get(owner().id)).toBeUndefined();
const noGrantAtX = () => {
  for (const user of [alice, mallory])
    expect(bot.x.auth.liveTokens(user.id)).toEqual({ access: 0, refresh: 0 });
};
/** Code exchanges and refreshes that reached X's token endpoint. */
const tokenRequests = () => bot.x.log.filter((e) => e.method === 'POST' && e.path === '/2/oauth2/token');
const xCallback = (query: string) => `${bot.config.web.publicUrl}/oauth/callback?${query}`;

/** Runs /link as `user` and opens its button in `browser`; returns Discord's consent URL. */
async function startLink(browser: WebClient, user = owner()) {
  const interaction = bot.discord.command('link', {}, { user });
  const start = await browser.visit(linkButtonUrl(await interaction.reply()));
  expect(start.status).toBe(302);
  return { interaction, discordConsent: start.location ?? '' };
}

/** From Discord's consent (approved as `signedIn`) to X's consent URL. */
async function throughDiscord(browser: WebClient, discordConsent: string, signedIn: DiscordUser = owner()) {
  const back = await browser.visit(bot.discord.approve(discordConsent, signedIn));
  expect(back.status).toBe(302);
  return back.location ?? '';
}

describe('linking over HTTP', () => {
  it('links through Discord sign-in and X, and refuses the same X callback again', async () => {
    const browser = new WebClient();
    const { interaction, discordConsent } = await startLink(browser);
    expect(discordConsent.startsWith(bot.discord.authorizeUrl)).toBe(true);
    const consent = new URL(discordConsent).searchParams;
    expect(consent.get('scope')).toBe('identify role_connections.write');
    expect(consent.get('redirect_uri')).toBe(`${bot.config.web.publicUrl}/oauth/discord/callback`);
    const xConsent = await throughDiscord(browser, discordConsent);
    expect(xConsent.startsWith(bot.x.authorizeUrl)).toBe(true);
    const callback = bot.x.approve(xConsent, alice.id);
    expect((await browser.visit(callback)).title).toBe('Linked as @alice_x');
    expect(await bot.flock.services.linked.get(owner().id)).toMatchObject({ xUserId: alice.id });
    expect((await interaction.reply((m) => m.content.startsWith('Linked'))).content).toContain('@alice\\_x');
    expect(await browser.visit(callback)).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
  });

  it("ends with no link and no grant when B, signed in to Discord as B, opens A's link", async () => {
    const aBrowser = new WebClient();
    const bBrowser = new WebClient();
    const interaction = bot.discord.command('link');
    const url = linkButtonUrl(await interaction.reply());
    // A sends the button's URL to B; B opens it first, in B's own browser.
    const start = await bBrowser.visit(url);
    const back = await bBrowser.visit(bot.discord.approve(start.location ?? '', b));
    expect(back).toMatchObject({ status: 403, title: 'This link belongs to someone else' });
    expect(back.location).toBeUndefined();
    await nothingStored();
    expect(await bot.flock.services.linked.get(b.id)).toBeUndefined();
    noGrantAtX();
    expect(tokenRequests()).toEqual([]);
    // B's Discord sign-in is not kept either.
    expect(bot.discord.liveGrants(b.id)).toEqual([]);
    const told = await interaction.reply((m) => m.content.startsWith('Someone else'));
    expect(told.content).toContain('nothing was linked');
    // The attempt is burned: A's own browser can no longer use it.
    expect(await aBrowser.visit(url)).toMatchObject({ status: 400, title: 'This link can&#39;t be used' });
  });

  it('refuses a start link opened in a second browser', async () => {
    const first = new WebClient();
    const { interaction } = await startLink(first);
    const second = await new WebClient().visit(linkButtonUrl(await interaction.reply()));
    expect(second).toMatchObject({ status: 400, title: 'This link was opened in another browser' });
    // The first browser goes on as before.
    expect((await first.visit(linkButtonUrl(await interaction.reply()))).status).toBe(302);
  });

  it('never exchanges an X code that comes back in another browser (a forwarded consent link)', async () => {
    const aBrowser = new WebClient();
    const xConsent = await throughDiscord(aBrowser, (await startLink(aBrowser)).discordConsent);
    // A forwards X's consent page to B, who approves with B's own X account in B's browser.
    const page = await new WebClient().visit(bot.x.approve(xConsent, mallory.id));
    expect(page).toMatchObject({ status: 400, title: 'This link was opened in another browser' });
    expect(tokenRequests()).toEqual([]);
    noGrantAtX();
    await nothingStored();
  });

  it('refuses a Discord callback in another browser (a forced sign-in)', async () => {
    const { discordConsent } = await startLink(new WebClient());
    const page = await new WebClient().visit(bot.discord.approve(discordConsent, owner()));
    expect(page).toMatchObject({ status: 400, title: 'This link was opened in another browser' });
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);
    await nothingStored();
  });

  it('ends cleanly when the user cancels at Discord', async () => {
    const browser = new WebClient();
    const { interaction, discordConsent } = await startLink(browser);
    const page = await browser.visit(bot.discord.approve(discordConsent, owner(), 'deny'));
    expect(page).toMatchObject({ status: 400, title: 'Linking cancelled' });
    expect(
      shown((await interaction.reply((m) => m.content.startsWith('Linking was cancelled'))).content),
    ).toContain('Run `/link` to try again.');
    await nothingStored();
  });

  it('exchanges the X code once when its callback arrives twice at the same moment', async () => {
    const browser = new WebClient();
    const callback = bot.x.approve(
      await throughDiscord(browser, (await startLink(browser)).discordConsent),
      alice.id,
    );
    const pages = await Promise.all([browser.visit(callback), browser.visit(callback)]);
    expect(pages.map((p) => p.title).sort()).toEqual(['Linked as @alice_x', 'This link can&#39;t be used']);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('revokes the new grant when X fails to say whose it is', async () => {
    const browser = new WebClient();
    const callback = bot.x.approve(
      await throughDiscord(browser, (await startLink(browser)).discordConsent),
      alice.id,
    );
    bot.x.faults.add({ match: 'GET /2/users/me', status: 503, times: 10 });
    expect(await browser.visit(callback)).toMatchObject({ status: 503, title: 'X is not answering' });
    await nothingStored();
    noGrantAtX();
  });

  it('does not finish a link on HEAD', async () => {
    const browser = new WebClient();
    const callback = bot.x.approve(
      await throughDiscord(browser, (await startLink(browser)).discordConsent),
      alice.id,
    );
    expect((await browser.visit(callback, { method: 'HEAD' })).status).toBe(405);
    await nothingStored();
    expect((await browser.visit(callback)).title).toBe('Linked as @alice_x');
  });

  it('keeps one pending link per user: a new /link retires the older button', async () => {
    const first = await bot.discord.command('link').reply();
    await bot.discord.command('link').reply();
    expect(await new WebClient().visit(linkButtonUrl(first))).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
  });

  it('refuses replayed, expired, tampered and incomplete callbacks with nothing stored', async () => {
    const browser = new WebClient();
    const xConsent = await throughDiscord(browser, (await startLink(browser)).discordConsent);
    const state = new URL(xConsent).searchParams.get('state') ?? '';
    const tampered = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
    expect(await browser.visit(xCallback(`code=x&state=${tampered}`))).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
    expect((await browser.visit(bot.x.deny(xConsent))).title).toBe('Linking cancelled');
    expect(await browser.visit(xCallback(`code=anything&state=${encodeURIComponent(state)}`))).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
    for (const query of ['', 'code=abc', 'state=abc', 'error=']) {
      expect(await browser.visit(xCallback(query))).toMatchObject({
        status: 400,
        title: 'This link is incomplete',
      });
    }
    const late = new WebClient();
    const lateConsent = (await startLink(late)).discordConsent;
    bot.clock.advance(10 * 60_000 + 1);
    expect(await late.visit(bot.discord.approve(lateConsent, owner()))).toMatchObject({
      status: 400,
      title: 'This link has expired',
    });
    await nothingStored();
  });

  it('refuses an expired X code (X’s 30 seconds) and says so when X is down', async () => {
    const browser = new WebClient();
    const expired = bot.x.approve(
      await throughDiscord(browser, (await startLink(browser)).discordConsent),
      alice.id,
    );
    bot.clock.advance(31_000);
    expect(await browser.visit(expired)).toMatchObject({
      status: 400,
      title: 'X didn&#39;t accept the sign-in',
    });
    const again = new WebClient();
    const down = bot.x.approve(
      await throughDiscord(again, (await startLink(again)).discordConsent),
      alice.id,
    );
    bot.x.faults.add({ match: '/2/oauth2/token', status: 503 });
    expect(await again.visit(down)).toMatchObject({ status: 503, title: 'X is not answering' });
    await nothingStored();
  });

  it('says Discord is not answering when its token exchange fails', async () => {
    const browser = new WebClient();
    const { discordConsent } = await startLink(browser);
    bot.discord.faults.push({ match: '/oauth2/token', status: 503 });
    expect(await browser.visit(bot.discord.approve(discordConsent, owner()))).toMatchObject({
      status: 503,
      title: 'Discord is not answering',
    });
    await nothingStored();
  });

  it('refuses an expired or unknown start link, and old-style start links', async () => {
    const reply = await bot.discord.command('link').reply();
    bot.clock.advance(10 * 60_000 + 1);
    const browser = new WebClient();
    expect(await browser.visit(linkButtonUrl(reply))).toMatchObject({
      status: 400,
      title: 'This link has expired',
    });
    for (const path of ['/link/AAAAAAAAAAAAAAAAAAAAAA', '/oauth/start/AAAAAAAAAAAAAAAAAAAAAA'])
      expect(await browser.visit(`${bot.config.web.publicUrl}${path}`)).toMatchObject({
        status: 400,
        title: 'This link can&#39;t be used',
      });
  });

  it("leaves B's own Linked Roles sign-in alone when B, already linked, opens A's link", async () => {
    await bot.link(b, mallory.id);
    expect(bot.discord.liveGrants(b.id)).toHaveLength(1);
    const url = linkButtonUrl(await bot.discord.command('link').reply());
    const bBrowser = new WebClient();
    const start = await bBrowser.visit(url);
    expect((await bBrowser.visit(bot.discord.approve(start.location ?? '', b))).title).toBe(
      'This link belongs to someone else',
    );
    // Revoking the tokens of this sign-in would end B's kept one too (one authorization per user).
    expect(bot.discord.liveGrants(b.id)).toHaveLength(1);
    expect(await bot.flock.services.linked.get(b.id)).toMatchObject({ xUserId: mallory.id });
    await nothingStored();
  });
});

describe('what an attempt leaves behind', () => {
  it('keeps one live state per step: reopening the link retires the older Discord state', async () => {
    const browser = new WebClient();
    const { interaction, discordConsent: first } = await startLink(browser);
    const second = (await browser.visit(linkButtonUrl(await interaction.reply()))).location ?? '';
    expect(await browser.visit(bot.discord.approve(first, owner()))).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
    // The newer one goes on to X.
    const toX = await browser.visit(bot.discord.approve(second, owner()));
    expect(toX.location?.startsWith(bot.x.authorizeUrl)).toBe(true);
    expect(bot.discord.liveGrants(owner().id)).toHaveLength(1);
  });

  it('revokes the Discord sign-in an attempt held when a new /link retires it, or when it expires', async () => {
    const browser = new WebClient();
    await throughDiscord(browser, (await startLink(browser)).discordConsent);
    expect(bot.discord.liveGrants(owner().id)).toHaveLength(1);
    await bot.discord.command('link').reply();
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);

    const late = new WebClient();
    const xConsent = await throughDiscord(late, (await startLink(late)).discordConsent);
    expect(bot.discord.liveGrants(owner().id)).toHaveLength(1);
    bot.clock.advance(10 * 60_000 + 1);
    expect(await late.visit(bot.x.approve(xConsent, alice.id))).toMatchObject({
      title: 'This link has expired',
    });
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);
    noGrantAtX();
  });

  it('retires a pending link on /unlink, so an older button cannot link afterwards', async () => {
    const url = linkButtonUrl(await bot.discord.command('link').reply());
    await bot.discord.command('unlink').reply();
    expect(await new WebClient().visit(url)).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
  });

  it('links one X account to one Discord account: a second one is refused and its grant revoked', async () => {
    await bot.link(owner(), alice.id);
    const browser = new WebClient();
    const interaction = bot.discord.command('link', {}, { user: b });
    const start = await browser.visit(linkButtonUrl(await interaction.reply()));
    const toX = await browser.visit(bot.discord.approve(start.location ?? '', b));
    const page = await browser.visit(bot.x.approve(toX.location ?? '', alice.id));
    expect(page).toMatchObject({ status: 409, title: 'This X account is linked to someone else' });
    expect(await bot.flock.services.linked.get(b.id)).toBeUndefined();
    // A's link (one pair) is all that is alive at X; B's exchange was revoked.
    expect(bot.x.auth.liveTokens(alice.id)).toEqual({ access: 1, refresh: 1 });
    expect(bot.discord.liveGrants(b.id)).toEqual([]);
    expect((await interaction.reply((m) => m.content.startsWith('That X account'))).content).toContain(
      'already linked to another Discord account',
    );
  });
});

describe('when linking is off', () => {
  it('says so without DISCORD_CLIENT_SECRET, in /link and on the pages', async () => {
    await bot.close();
    bot = await startBot({ DISCORD_CLIENT_SECRET: '' });
    const reply = await bot.discord.command('link').reply();
    expect(reply.flags & 64).toBe(64);
    expect(reply.content).toMatch(/^Linking isn't set up on this bot yet: .*DISCORD_CLIENT_SECRET/);
    const browser = new WebClient();
    for (const path of [
      '/linked-roles',
      '/link/AAAAAAAAAAAAAAAAAAAAAA',
      '/oauth/discord/callback?code=a&state=b',
    ])
      expect(await browser.visit(`${bot.config.web.publicUrl}${path}`)).toMatchObject({
        status: 503,
        title: 'Linking is not set up',
      });
    expect(bot.discord.roleConnectionMetadata).toEqual([]);
  });

  it('is off when PUBLIC_URL is plain http on a public host (a planted cookie could steer a link)', async () => {
    await bot.close();
    bot = await startBot({ PUBLIC_URL: 'http://flock.example.com' });
    const reply = await bot.discord.command('link').reply();
    expect(reply.content).toMatch(/^Linking isn't set up on this bot yet: .*over https/);
    expect(bot.logs.some((l) => l.includes('PUBLIC_URL is plain http on flock.example.com'))).toBe(true);
  });
});
