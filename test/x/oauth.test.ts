import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOAuthClient,
  createPkce,
  createXClient,
  LINK_SCOPES,
  XForbiddenError,
  XUnauthorizedError,
} from '../../src/x/index.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from '../emulators/x/server.js';
import { ManualClock } from '../support/manual-clock.js';

const REDIRECT = 'http://localhost:3000/oauth/callback';
let emulator: XEmulator;
const running: XEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function setUp(secret?: string) {
  const clock = new ManualClock();
  emulator = await startXEmulator({
    clock,
    apps: [{ clientId: DEFAULT_CLIENT_ID, clientSecret: secret, name: 'Flock', redirectUris: [REDIRECT] }],
  });
  running.push(emulator);
  const alice = emulator.world.addUser({ username: 'alice' });
  const oauth = createOAuthClient({
    apiUrl: emulator.url,
    authorizeUrl: emulator.authorizeUrl,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: secret,
    redirectUri: REDIRECT,
    clock,
  });
  const api = createXClient({ apiUrl: emulator.url, bearerToken: DEFAULT_BEARER, clock });
  return { clock, alice, oauth, api };
}

async function link(oauth: ReturnType<typeof createOAuthClient>, userId: string) {
  const pkce = createPkce();
  const redirect = new URL(emulator.approve(oauth.authorizeUrl('state-123', pkce.challenge), userId));
  expect(redirect.searchParams.get('state')).toBe('state-123');
  return oauth.exchangeCode(redirect.searchParams.get('code') ?? '', pkce.verifier);
}

describe('OAuth 2.0 with PKCE', () => {
  it('makes an S256 challenge from a 43-character verifier', () => {
    const { verifier, challenge } = createPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('builds the consent URL X expects', async () => {
    const { oauth } = await setUp();
    const url = new URL(oauth.authorizeUrl('s', 'c'));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: LINK_SCOPES.join(' '),
      state: 's',
      code_challenge: 'c',
      code_challenge_method: 'S256',
    });
  });

  it.each([undefined, 'shh-secret'])(
    'exchanges a code for tokens that work (client secret: %s)',
    async (secret) => {
      const { oauth, api, alice } = await setUp(secret);
      const tokens = await link(oauth, alice.id);
      expect(tokens.scopes).toEqual([...LINK_SCOPES]);
      expect(tokens.refreshToken).toBeTruthy();
      expect((await api.me({ key: alice.id, accessToken: tokens.accessToken })).username).toBe('alice');
    },
  );

  it('refuses a code twice, after 30 seconds, or with the wrong verifier', async () => {
    const { oauth, alice, clock } = await setUp();
    const pkce = createPkce();
    const code = () =>
      new URL(emulator.approve(oauth.authorizeUrl('s', pkce.challenge), alice.id)).searchParams.get('code') ??
      '';
    const once = code();
    await oauth.exchangeCode(once, pkce.verifier);
    await expect(oauth.exchangeCode(once, pkce.verifier)).rejects.toBeInstanceOf(XUnauthorizedError);
    const late = code();
    clock.advance(30_001);
    await expect(oauth.exchangeCode(late, pkce.verifier)).rejects.toBeInstanceOf(XUnauthorizedError);
    await expect(oauth.exchangeCode(code(), createPkce().verifier)).rejects.toBeInstanceOf(
      XUnauthorizedError,
    );
  });

  it('a denial comes back as access_denied with the state', async () => {
    const { oauth } = await setUp();
    const redirect = new URL(emulator.deny(oauth.authorizeUrl('st', createPkce().challenge)));
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('st');
  });

  it('rotates refresh tokens: each works once, and reuse revokes the grant', async () => {
    const { oauth, alice, api } = await setUp();
    const first = await link(oauth, alice.id);
    const second = await oauth.refresh(first.refreshToken ?? '');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await api.me({ key: alice.id, accessToken: second.accessToken })).username).toBe('alice');
    await expect(oauth.refresh(first.refreshToken ?? '')).rejects.toBeInstanceOf(XUnauthorizedError);
    // X may revoke the whole family on reuse: the newest pair stops working too.
    await expect(oauth.refresh(second.refreshToken ?? '')).rejects.toBeInstanceOf(XUnauthorizedError);
    await expect(api.me({ key: alice.id, accessToken: second.accessToken })).rejects.toBeInstanceOf(
      XUnauthorizedError,
    );
  });

  it('access tokens expire after two hours and a refresh brings a working one', async () => {
    const { oauth, alice, api, clock } = await setUp();
    const tokens = await link(oauth, alice.id);
    expect(tokens.expiresAt).toBe(clock.now() + 7200_000);
    clock.advance(7200_000);
    await expect(api.me({ key: alice.id, accessToken: tokens.accessToken })).rejects.toBeInstanceOf(
      XUnauthorizedError,
    );
    const fresh = await oauth.refresh(tokens.refreshToken ?? '');
    expect((await api.me({ key: alice.id, accessToken: fresh.accessToken })).username).toBe('alice');
  });

  it('revokes both tokens', async () => {
    const { oauth, alice, api } = await setUp();
    const tokens = await link(oauth, alice.id);
    await oauth.revoke(tokens.accessToken, 'access_token');
    await oauth.revoke(tokens.refreshToken ?? '', 'refresh_token');
    await expect(api.me({ key: alice.id, accessToken: tokens.accessToken })).rejects.toBeInstanceOf(
      XUnauthorizedError,
    );
    await expect(oauth.refresh(tokens.refreshToken ?? '')).rejects.toBeInstanceOf(XUnauthorizedError);
    expect(emulator.auth.liveTokens(alice.id)).toEqual({ access: 0, refresh: 0 });
  });

  it('a wrong client secret is the operator’s problem, not the user’s', async () => {
    const { alice } = await setUp('right-secret');
    const wrong = createOAuthClient({
      apiUrl: emulator.url,
      authorizeUrl: emulator.authorizeUrl,
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: 'wrong-secret',
      redirectUri: REDIRECT,
    });
    const pkce = createPkce();
    const code =
      new URL(emulator.approve(wrong.authorizeUrl('s', pkce.challenge), alice.id)).searchParams.get('code') ??
      '';
    const error = await wrong.exchangeCode(code, pkce.verifier).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XForbiddenError);
    expect(String(error)).not.toContain('wrong-secret');
  });
});
