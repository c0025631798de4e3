/** The Discord emulator's OAuth2 consent page and its sign-in, over real HTTP (fetch, no browser). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordUser } from './discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';
import { CALLBACK, OTHER_CALLBACK, oauthClient, SCOPES, unescapeHtml } from './discord-oauth-helpers.js';

let discord: DiscordEmulator;
let client: ReturnType<typeof oauthClient>;
let alice: DiscordUser;
let bob: DiscordUser;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  discord.redirectUris.push(CALLBACK, OTHER_CALLBACK);
  client = oauthClient(discord);
  alice = discord.addUser('alice');
  bob = discord.addUser('bob');
});
afterEach(() => discord.close());

describe('the consent page', () => {
  it('asks who is signing in, signs in with a cookie, and comes back to the page', async () => {
    const url = client.consentUrl();
    const login = await client.browse(url);
    expect(login.status).toBe(200);
    expect(login.text).toContain('<form method="get" action="/emulator/sign-in">');
    expect(login.text).toContain(`<option value="${alice.id}">alice</option>`);
    expect(login.text).not.toContain(`value="${discord.bot.id}"`);
    const next = unescapeHtml(/name="next" value="([^"]+)"/.exec(login.text)?.[1] ?? '');
    expect(next).toBe(new URL(url).pathname + new URL(url).search);

    const signIn = await client.browse(
      `${discord.url}/emulator/sign-in?${new URLSearchParams({ user: alice.id, next })}`,
    );
    expect(signIn.status).toBe(302);
    expect(signIn.location).toBe(next);
    expect(signIn.setCookie).toMatch(/^discord_emulator_session=\w+; HttpOnly; Path=\/(;|$)/);

    const page = await client.browse(`${discord.url}${signIn.location}`, signIn.setCookie?.split(';')[0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Flock wants to access your account');
    expect(page.text).toContain('Signed in as <strong>alice</strong>');
    expect(page.text).toContain('data-scope="identify"');
    expect(page.text).toContain('data-scope="role_connections.write"');
    expect(page.text).toMatch(/<button[^>]*value="approve"[^>]*>Authorize<\/button>/);
    expect(page.text).toMatch(/<button[^>]*value="deny"[^>]*>Cancel<\/button>/);
  });

  it('signs in only to send the browser back to the emulator itself', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', 'http://127.0.0.1:1/oauth2/authorize']) {
      const answer = await client.browse(
        `${discord.url}/emulator/sign-in?${new URLSearchParams({ user: alice.id, next })}`,
      );
      expect(answer.status, next).toBe(400);
      expect(answer.location).toBeNull();
      expect(answer.setCookie).toBeNull();
    }
    for (const user of ['42', discord.bot.id]) {
      expect((await client.browse(`${discord.url}/emulator/sign-in?user=${user}&next=/`)).status).toBe(400);
    }
  });

  it('answers a bad request with an error page, never a redirect', async () => {
    const cookie = await client.signIn(alice);
    const cases: [Record<string, string | undefined>, string][] = [
      [{ client_id: '1234' }, 'Unknown Application'],
      [{ client_id: undefined }, 'Unknown Application'],
      [{ redirect_uri: `${CALLBACK}/` }, 'Invalid OAuth2 redirect_uri'],
      [{ redirect_uri: 'https://evil.example/callback' }, 'Invalid OAuth2 redirect_uri'],
      [{ redirect_uri: undefined }, 'Invalid OAuth2 redirect_uri'],
      [{ response_type: 'token' }, 'Unsupported response_type'],
      [{ response_type: undefined }, 'Unsupported response_type'],
      [{ scope: 'identify tweets.read' }, 'Invalid scope: tweets.read'],
      [{ scope: undefined }, 'No scopes were provided'],
    ];
    for (const [overrides, reason] of cases) {
      const url = client.consentUrl(overrides);
      const answer = await client.browse(url, cookie);
      expect(answer.status, JSON.stringify(overrides)).toBe(400);
      expect(answer.location).toBeNull();
      expect(answer.type).toContain('text/html');
      expect(answer.text).toContain(reason);
      expect(() => discord.approve(url, alice)).toThrow(reason);
    }
    const posted = await client.browse(`${discord.url}/oauth2/authorize`, cookie, {
      method: 'POST',
      form: { client_id: discord.applicationId, redirect_uri: 'https://evil.example/', decision: 'approve' },
    });
    expect(posted.status).toBe(400);
    expect(posted.location).toBeNull();
  });

  it('redirects with a code and the state on Authorize, and with access_denied on Cancel', async () => {
    const cookie = await client.signIn(alice);
    const approved = new URL((await client.decide(client.consentUrl(), cookie, 'approve')).location ?? '');
    expect(`${approved.origin}${approved.pathname}`).toBe(CALLBACK);
    expect(approved.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(approved.searchParams.get('state')).toBe('state-1');

    const denied = await client.decide(client.consentUrl({ state: 'state-2' }), cookie, 'deny');
    expect(denied.status).toBe(302);
    const params = new URL(denied.location ?? '').searchParams;
    expect(params.get('code')).toBeNull();
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('state')).toBe('state-2');
  });

  it('takes a decision only from the signed-in browser that was shown the page', async () => {
    const cookie = await client.signIn(alice);
    expect((await client.decide(client.consentUrl(), cookie, 'approve', ['csrf'])).status).toBe(403);
    const page = await client.browse(client.consentUrl(), cookie);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const form = {
      ...Object.fromEntries(new URL(client.consentUrl()).searchParams),
      csrf,
      decision: 'approve',
    };
    const asBob = await client.browse(`${discord.url}/oauth2/authorize`, await client.signIn(bob), {
      method: 'POST',
      form,
    });
    expect(asBob.status).toBe(403);
    const signedOut = await client.browse(`${discord.url}/oauth2/authorize`, undefined, {
      method: 'POST',
      form,
    });
    expect(signedOut.status).toBe(401);
    expect(signedOut.location).toBeNull();
  });

  it('skips the page with prompt=none only for scopes the user already authorized', async () => {
    const cookie = await client.signIn(alice);
    const none = client.consentUrl({ prompt: 'none' });
    expect((await client.browse(none, cookie)).status).toBe(200);
    const code = client.codeFrom((await client.decide(client.consentUrl(), cookie, 'approve')).location);
    // Approved but never exchanged: Discord holds no authorization yet.
    expect((await client.browse(none, cookie)).status).toBe(200);
    const tokens = (await client.exchange(code)).body;

    const skipped = await client.browse(none, cookie);
    expect(skipped.status).toBe(302);
    expect((await client.exchange(client.codeFrom(skipped.location))).status).toBe(200);
    expect(
      (await client.browse(client.consentUrl({ prompt: 'none', scope: `${SCOPES} email` }), cookie)).status,
    ).toBe(200);
    expect((await client.browse(client.consentUrl({ prompt: 'consent' }), cookie)).status).toBe(200);
    expect((await client.browse(none, await client.signIn(bob))).status).toBe(200);

    await client.postForm('/oauth2/token/revoke', { token: String(tokens.access_token) });
    expect((await client.browse(none, cookie)).status).toBe(200);
  });

  it('decides without a browser through approve()', () => {
    const approved = new URL(discord.approve(client.consentUrl(), alice));
    expect(approved.searchParams.get('code')).toBeTruthy();
    expect(approved.searchParams.get('state')).toBe('state-1');
    const denied = new URL(discord.approve(client.consentUrl(), alice, 'deny'));
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(() => discord.approve(client.consentUrl(), discord.bot)).toThrow();
  });
});
