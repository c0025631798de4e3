/**
 * Linked Roles: the metadata Flock declares, the values it writes for a linked user (and keeps
 * current, at most daily), the Linked Roles entry from Discord's menu, and what /unlink clears.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_METADATA } from '../../src/accounts/role-connections.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness;
let alice: EmuUser;
beforeEach(async () => {
  bot = await startBot();
  alice = bot.x.world.addUser({
    username: 'alice_x',
    verified: true,
    createdAt: Date.parse('2020-01-01T00:00:00Z'),
  });
  for (const fan of bot.x.world.addUsers(30, 'fan')) bot.x.world.follow(fan.id, alice.id);
});
afterEach(() => bot.close());

const owner = () => bot.discord.owner;
const values = () => bot.discord.roleConnections.get(owner().id);
const metadataWrites = () =>
  bot.discord.rest.filter((r) => r.method === 'PUT' && r.path.endsWith('/role-connections/metadata'));
const followersAtLeast = (value: number) =>
  bot.discord.meetsRoleRequirement(owner().id, { key: 'x_followers', type: 2, value });

/** Opens `/linked-roles` as Discord's menu would, and signs in to Discord as the owner. */
async function enterFromDiscord(browser: WebClient) {
  const entry = await browser.visit(`${bot.config.web.publicUrl}/linked-roles`);
  expect(entry.status).toBe(302);
  return browser.visit(bot.discord.approve(entry.location ?? '', owner()));
}

describe('Linked Roles', () => {
  it('declares its metadata at start, once', async () => {
    expect(bot.discord.roleConnectionMetadata.map((m) => m.key)).toEqual([
      'x_linked',
      'x_followers',
      'x_verified',
      'x_created',
    ]);
    expect(bot.discord.roleConnectionMetadata).toEqual(ROLE_METADATA.map((m) => expect.objectContaining(m)));
    expect(metadataWrites()).toHaveLength(1);
    await bot.restart();
    expect(metadataWrites()).toHaveLength(1);
  });

  it('writes the linked account’s values on link, so a role for ≥ 25 followers applies', async () => {
    await bot.link(owner(), alice.id);
    expect(values()).toEqual({
      platform_name: 'X',
      platform_username: 'alice_x',
      metadata: { x_linked: '1', x_followers: '30', x_verified: '1', x_created: '2020-01-01T00:00:00.000Z' },
    });
    expect(followersAtLeast(25)).toBe(true);
    expect(followersAtLeast(31)).toBe(false);
    expect(bot.discord.meetsRoleRequirement(owner().id, { key: 'x_verified', type: 7, value: 1 })).toBe(true);
    // The Discord sign-in is kept (sealed) to refresh these values; it is alive at Discord.
    expect(bot.discord.liveGrants(owner().id)).toHaveLength(1);
  });

  it('clears the values and revokes the Discord sign-in on /unlink', async () => {
    await bot.link(owner(), alice.id);
    await bot.discord.command('unlink').reply();
    expect(values()).toBeUndefined();
    expect(followersAtLeast(1)).toBe(false);
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);
  });

  it('clears with an empty PUT where Discord has no DELETE on the route', async () => {
    await bot.link(owner(), alice.id);
    bot.discord.roleConnectionDeleteSupported = false;
    await bot.discord.command('unlink').reply();
    expect(values()?.metadata ?? {}).toEqual({});
    expect(followersAtLeast(1)).toBe(false);
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);
  });

  it('says so when Discord is down at /unlink, and clears the values once Discord is back', async () => {
    await bot.link(owner(), alice.id);
    bot.discord.faults.push({ match: /role-connection|oauth2\/token/, status: 503, times: 20 });
    const reply = await bot.discord.command('unlink').reply((m) => m.content !== '');
    expect(reply.content).toContain('Discord did not answer when Flock cleared your Linked Roles');
    expect(values()?.metadata.x_linked).toBe('1');
    expect(await bot.flock.services.linked.get(owner().id)).toBeUndefined();
    bot.discord.faults.splice(0);
    expect(await bot.flock.services.roleRefresher?.tick()).toBe(0);
    expect(values()).toBeUndefined();
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);
    // Nothing left to retry.
    const calls = () => bot.discord.rest.filter((r) => r.path.includes('role-connection')).length;
    const before = calls();
    await bot.flock.services.roleRefresher?.tick();
    expect(calls()).toBe(before);
  });

  it('refreshes the values at most once a UTC day, for every user in one X lookup', async () => {
    await bot.link(owner(), alice.id);
    const bob = bot.x.world.addUser({ username: 'bob_x' });
    const b = bot.discord.addUser('b');
    await bot.link(b, bob.id);
    const refresher = bot.flock.services.roleRefresher;
    expect(refresher).toBeDefined();
    for (const fan of bot.x.world.addUsers(5, 'late')) bot.x.world.follow(fan.id, alice.id);
    expect(await refresher?.tick()).toBe(0);
    expect(values()?.metadata.x_followers).toBe('30');

    bot.clock.advance(24 * 60 * 60_000);
    const lookups = bot.x.requests('GET /2/users').length;
    expect(await refresher?.tick()).toBe(2);
    expect(bot.x.requests('GET /2/users').length - lookups).toBe(1);
    expect(values()?.metadata.x_followers).toBe('35');
    expect(await refresher?.tick()).toBe(0);
  });

  it('drops a Discord sign-in that Discord no longer honours, and keeps the X link', async () => {
    await bot.link(owner(), alice.id);
    for (const grant of bot.discord.liveGrants(owner().id)) expect(grant.revoked).toBe(false);
    // The user removes Flock from Discord's Authorized Apps.
    const link = await bot.flock.services.linked.get(owner().id);
    await fetch(`${bot.discord.apiUrl}/v10/oauth2/token/revoke`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${bot.discord.applicationId}:${bot.discord.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: link?.discord?.accessToken ?? '' }),
    });
    bot.clock.advance(24 * 60 * 60_000);
    expect(await bot.flock.services.roleRefresher?.tick()).toBe(0);
    const after = await bot.flock.services.linked.get(owner().id);
    expect(after?.discord).toBeUndefined();
    expect(after?.xUserId).toBe(alice.id);
  });
});

describe('the Linked Roles entry (Discord’s verification URL)', () => {
  it('for a linked user: writes their values without a trip to X', async () => {
    await bot.link(owner(), alice.id);
    bot.discord.roleConnections.clear();
    const exchanges = bot.x.log.filter((e) => e.path === '/2/oauth2/token').length;
    const page = await enterFromDiscord(new WebClient());
    expect(page).toMatchObject({ status: 200, title: 'Linked Roles updated' });
    expect(values()?.metadata.x_followers).toBe('30');
    expect(bot.x.log.filter((e) => e.path === '/2/oauth2/token').length).toBe(exchanges);
    // One Discord authorization: the new sign-in's tokens replaced the kept ones (same grant).
    expect(bot.discord.liveGrants(owner().id)).toHaveLength(1);
  });

  it('for someone not linked: goes on to X, links, and writes the values', async () => {
    const browser = new WebClient();
    const toX = await enterFromDiscord(browser);
    expect(toX.location?.startsWith(bot.x.authorizeUrl)).toBe(true);
    const page = await browser.visit(bot.x.approve(toX.location ?? '', alice.id));
    expect(page.title).toBe('Linked as @alice_x');
    expect(await bot.flock.services.linked.get(owner().id)).toMatchObject({ xUserId: alice.id });
    expect(values()?.metadata.x_linked).toBe('1');
  });

  it('costs one X read a day however often a linked member comes back from the menu', async () => {
    await bot.link(owner(), alice.id);
    const reads = () => bot.x.requests('GET /2/users/:id').length;
    const before = reads();
    for (let i = 0; i < 3; i++)
      expect((await enterFromDiscord(new WebClient())).title).toBe('Linked Roles updated');
    // Written at link time today: no read at all.
    expect(reads()).toBe(before);
    bot.clock.advance(24 * 60 * 60_000);
    for (let i = 0; i < 3; i++) await enterFromDiscord(new WebClient());
    expect(reads()).toBe(before + 1);
  });

  it('uses a Linked Roles state once: a replay never reaches Discord again', async () => {
    const browser = new WebClient();
    const entry = await browser.visit(`${bot.config.web.publicUrl}/linked-roles`);
    const state = new URL(entry.location ?? '').searchParams.get('state') ?? '';
    const junk = `${bot.config.web.publicUrl}/oauth/discord/callback?code=junk&state=${encodeURIComponent(state)}`;
    const exchanges = () => bot.discord.rest.filter((r) => r.path.endsWith('/oauth2/token')).length;
    expect((await browser.visit(junk)).title).toBe('Discord didn&#39;t accept the sign-in');
    for (let i = 0; i < 5; i++) expect((await browser.visit(junk)).title).toBe('This link can&#39;t be used');
    expect(exchanges()).toBe(1);
  });

  it('stores nothing before Discord says who it is, and refuses a sign-in finished in another browser', async () => {
    const entry = await new WebClient().visit(`${bot.config.web.publicUrl}/linked-roles`);
    const page = await new WebClient().visit(bot.discord.approve(entry.location ?? '', owner()));
    expect(page).toMatchObject({ status: 400, title: 'This link was opened in another browser' });
    expect(bot.discord.liveGrants(owner().id)).toEqual([]);
    await expect(bot.flock.services.linked.get(owner().id)).resolves.toBeUndefined();
  });

  it('refuses a forged or stale Linked Roles state', async () => {
    const browser = new WebClient();
    const entry = await browser.visit(`${bot.config.web.publicUrl}/linked-roles`);
    const state = new URL(entry.location ?? '').searchParams.get('state') ?? '';
    // Its last character changed. ("AA" in place of the last two was no forgery once in 1,024 states:
    // those that already ended so.)
    const forged = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
    const callback = (s: string) =>
      `${bot.config.web.publicUrl}/oauth/discord/callback?code=x&state=${encodeURIComponent(s)}`;
    expect((await browser.visit(callback(forged))).title).toBe('This link can&#39;t be used');
    bot.clock.advance(10 * 60_000 + 1);
    expect((await browser.visit(bot.discord.approve(entry.location ?? '', owner()))).title).toBe(
      'This link has expired',
    );
  });
});
