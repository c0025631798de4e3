/** The Discord emulator's OAuth2 token side: codes, tokens, /users/@me, revocation, over real HTTP. */
import { REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordUser } from './discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';
import { CALLBACK, OTHER_CALLBACK, oauthClient, SCOPES } from './discord-oauth-helpers.js';

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

const INVALID_CODE = { error: 'invalid_grant', error_description: 'Invalid "code" in request.' };
const UNAUTHORIZED = { message: '401: Unauthorized', code: 0 };

describe('the token endpoint', () => {
  it('exchanges a code once, authenticating the client by Basic or in the form', async () => {
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const { status, body } = await client.exchange(code);
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      token_type: 'Bearer',
      expires_in: 604800,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      scope: SCOPES,
    });

    const inForm = await client.postForm(
      '/oauth2/token',
      {
        grant_type: 'authorization_code',
        code: client.codeFrom(discord.approve(client.consentUrl(), bob)),
        redirect_uri: CALLBACK,
        client_id: discord.applicationId,
        client_secret: discord.clientSecret,
      },
      null,
    );
    expect(inForm.status).toBe(200);
  });

  it('refuses a code used twice, and revokes what the first use bought', async () => {
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const first = (await client.exchange(code)).body;
    expect((await client.api('GET', '/users/@me', String(first.access_token))).status).toBe(200);
    expect(await client.exchange(code)).toEqual({ status: 400, body: INVALID_CODE });
    expect((await client.api('GET', '/users/@me', String(first.access_token))).status).toBe(401);
    expect(discord.liveGrants(alice.id)).toEqual([]);
  });

  it('refuses a bad client with 401 invalid_client, leaving the code usable', async () => {
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const wrongSecret = `Basic ${Buffer.from(`${discord.applicationId}:nope`).toString('base64')}`;
    const wrongId = `Basic ${Buffer.from(`1234:${discord.clientSecret}`).toString('base64')}`;
    for (const authorization of [wrongSecret, wrongId, null]) {
      expect(await client.exchange(code, CALLBACK, authorization)).toEqual({
        status: 401,
        body: { error: 'invalid_client' },
      });
    }
    const formSecret = await client.postForm(
      '/oauth2/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_id: discord.applicationId,
        client_secret: 'nope',
      },
      null,
    );
    expect(formSecret.status).toBe(401);
    expect((await client.exchange(code)).status).toBe(200);
  });

  it('binds a code to its redirect_uri and lets it live 10 minutes', async () => {
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const other = await client.exchange(code, OTHER_CALLBACK);
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await client.exchange(code)).status).toBe(200);
    const forOther = client.codeFrom(
      discord.approve(client.consentUrl({ redirect_uri: OTHER_CALLBACK }), alice),
    );
    expect((await client.exchange(forOther, OTHER_CALLBACK)).status).toBe(200);

    const start = Date.now();
    discord.now = () => start;
    const late = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const inTime = client.codeFrom(discord.approve(client.consentUrl(), alice));
    discord.now = () => start + 10 * 60_000 - 1;
    expect((await client.exchange(inTime)).status).toBe(200);
    discord.now = () => start + 10 * 60_000;
    expect(await client.exchange(late)).toEqual({ status: 400, body: INVALID_CODE });
  });

  it('refuses an unknown grant type, and a body that is not a form', async () => {
    const password = await client.postForm('/oauth2/token', {
      grant_type: 'password',
      username: 'a',
      password: 'b',
    });
    expect(password).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const json = await fetch(`${discord.apiUrl}/v10/oauth2/token`, {
      method: 'POST',
      headers: { authorization: client.basic(), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('rotates refresh tokens: the new pair works, the old refresh token is dead', async () => {
    const first = await client.link(alice);
    const refresh = (token: string) =>
      client.postForm('/oauth2/token', { grant_type: 'refresh_token', refresh_token: token });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.scope).toBe(SCOPES);
    expect((await client.api('GET', '/users/@me', String(second.body.access_token))).body?.id).toBe(alice.id);
    expect(await refresh(first.refresh_token)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid "refresh_token" in request.' },
    });
    expect((await refresh(String(second.body.refresh_token))).status).toBe(200);
  });

  it('expires access tokens after expires_in by the emulator clock', async () => {
    const start = Date.now();
    discord.now = () => start;
    const tokens = await client.link(alice);
    discord.now = () => start + 604_800_000 - 1;
    expect((await client.api('GET', '/users/@me', tokens.access_token)).status).toBe(200);
    discord.now = () => start + 604_800_000;
    expect(await client.api('GET', '/users/@me', tokens.access_token)).toEqual({
      status: 401,
      body: UNAUTHORIZED,
    });
    const renewed = await client.postForm('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect((await client.api('GET', '/users/@me', String(renewed.body.access_token))).status).toBe(200);
  });
});

describe('users/@me, revocation and grants', () => {
  it('answers a Bearer token with its user, and the bot token with the bot', async () => {
    const tokens = await client.link(alice);
    const me = await client.api('GET', '/users/@me', tokens.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: alice.id, username: 'alice' });
    expect(me.body).not.toHaveProperty('email');
    expect((await client.api('GET', '/users/@me', discord.token, undefined, 'Bot')).body?.id).toBe(
      discord.bot.id,
    );

    const withoutIdentify = await client.link(bob, 'role_connections.write');
    expect(await client.api('GET', '/users/@me', withoutIdentify.access_token)).toEqual({
      status: 401,
      body: UNAUTHORIZED,
    });
    expect(await client.api('GET', '/users/@me', 'not-a-token')).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  it('revokes the whole grant from either of its tokens; an unknown token is still 200', async () => {
    const alices = await client.link(alice);
    const bobs = await client.link(bob);
    expect(
      await client.postForm('/oauth2/token/revoke', {
        token: alices.access_token,
        token_type_hint: 'access_token',
      }),
    ).toEqual({
      status: 200,
      body: {},
    });
    expect((await client.api('GET', '/users/@me', alices.access_token)).status).toBe(401);
    const refreshed = await client.postForm('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: alices.refresh_token,
    });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(discord.liveGrants(alice.id)).toEqual([]);
    expect(discord.liveGrants(bob.id)).toHaveLength(1);

    const wrongClient = `Basic ${Buffer.from(`${discord.applicationId}:nope`).toString('base64')}`;
    expect(await client.postForm('/oauth2/token/revoke', { token: bobs.refresh_token }, wrongClient)).toEqual(
      {
        status: 401,
        body: { error: 'invalid_client' },
      },
    );
    expect(discord.liveGrants(bob.id)).toHaveLength(1);
    await client.postForm('/oauth2/token/revoke', {
      token: bobs.refresh_token,
      token_type_hint: 'refresh_token',
    });
    expect((await client.api('GET', '/users/@me', bobs.access_token)).status).toBe(401);
    expect(discord.liveGrants()).toEqual([]);
    expect(await client.postForm('/oauth2/token/revoke', { token: 'never-issued' })).toEqual({
      status: 200,
      body: {},
    });
  });

  it('lists live grants with their user and every scope approved under them', async () => {
    await client.link(alice);
    await client.link(alice, 'identify email');
    expect(discord.liveGrants()).toEqual([
      expect.objectContaining({
        userId: alice.id,
        clientId: discord.applicationId,
        scopes: ['identify', 'role_connections.write', 'email'],
      }),
    ]);
    expect(discord.liveGrants(bob.id)).toEqual([]);
  });

  it('keeps codes, tokens and the client secret out of the rest log', async () => {
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const tokens = (await client.exchange(code)).body;
    const renewed = (
      await client.postForm(
        '/oauth2/token',
        {
          grant_type: 'refresh_token',
          refresh_token: String(tokens.refresh_token),
          client_id: discord.applicationId,
          client_secret: discord.clientSecret,
        },
        null,
      )
    ).body;
    await client.postForm('/oauth2/token/revoke', { token: String(renewed.access_token) });
    const log = JSON.stringify(discord.rest);
    for (const secret of [
      code,
      tokens.access_token,
      tokens.refresh_token,
      renewed.refresh_token,
      discord.clientSecret,
    ]) {
      expect(log).not.toContain(String(secret));
    }
    const exchange = discord.rest.find((e) => e.path === '/api/v10/oauth2/token');
    expect(exchange).toMatchObject({
      method: 'POST',
      status: 200,
      body: { grant_type: 'authorization_code', code: '[redacted]' },
    });
    expect(discord.rest.filter((e) => e.path.startsWith('/api/v10/oauth2/'))).toHaveLength(3);
  });

  it('answers the next matching requests with an emulated fault', async () => {
    discord.faults.push({ match: /^POST \/api\/v10\/oauth2\/token$/, status: 503, times: 2 });
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    expect(await client.exchange(code)).toMatchObject({ status: 503, body: { code: 0 } });
    expect((await client.postForm('/oauth2/token/revoke', { token: 'x' })).status).toBe(200);
    expect((await client.exchange(code)).status).toBe(503);
    expect((await client.exchange(code)).status).toBe(200);
    expect(discord.faults).toEqual([]);
  });

  it('serves discord.js’s REST client the way Flock calls it', async () => {
    const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token);
    const form = (fields: Record<string, string>) => ({
      auth: false,
      passThroughBody: true,
      body: new URLSearchParams(fields),
      headers: { Authorization: client.basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const code = client.codeFrom(discord.approve(client.consentUrl(), alice));
    const tokens = (await rest.post(
      Routes.oauth2TokenExchange(),
      form({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }),
    )) as { access_token: string };
    const bearer = { auth: false, headers: { Authorization: `Bearer ${tokens.access_token}` } };
    expect(await rest.get(Routes.user(), bearer)).toMatchObject({ id: alice.id });
    await rest.post(Routes.oauth2TokenRevocation(), form({ token: tokens.access_token }));
    await expect(rest.get(Routes.user(), bearer)).rejects.toMatchObject({ status: 401 });
  });
});
