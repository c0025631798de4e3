/** The X emulator's own contract, checked over raw HTTP so that it stays faithful to the reference. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from './x/server.js';

let emulator: XEmulator;
let clock: ManualClock;
const REDIRECT = 'http://localhost:3000/oauth/callback';

beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startXEmulator({ clock });
  emulator.world.addUser({ id: '2244994945', username: 'XDevelopers', name: 'Developers' });
});
afterEach(() => emulator.close());

const get = (path: string, token = DEFAULT_BEARER) =>
  fetch(`${emulator.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('the X emulator', () => {
  it('sends rate-limit headers on every counted answer', async () => {
    const res = await get('/2/users/by/username/XDevelopers');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-rate-limit-limit')).toBe('300');
    expect(res.headers.get('x-rate-limit-remaining')).toBe('299');
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBe(Math.ceil((clock.now() + 900_000) / 1000));
    expect(await res.json()).toEqual({
      data: { id: '2244994945', name: 'Developers', username: 'XDevelopers' },
    });
  });

  it('answers a missing or bad token with X’s 401 problem', async () => {
    for (const token of ['', 'nope']) {
      const res = await get('/2/users/2244994945', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toEqual({
        title: 'Unauthorized',
        type: 'about:blank',
        status: 401,
        detail: 'Unauthorized',
      });
    }
  });

  it('validates parameters the way X does', async () => {
    const res = await get('/2/users/2244994945/followers?max_results=5000');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      title: 'Invalid Request',
      type: 'https://api.twitter.com/2/problems/invalid-request',
      errors: [{ parameters: { max_results: ['5000'] } }],
    });
    expect((await get('/2/users/abc/followers')).status).toBe(400);
    expect((await get('/2/users/2244994945?user.fields=shoe_size')).status).toBe(400);
    expect((await get('/2/users?ids=')).status).toBe(400);
    expect((await get('/2/users/by/username/bad-name!')).status).toBe(400);
  });

  it('refuses an app token where a user is needed', async () => {
    const res = await get('/2/users/me');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      type: 'https://api.x.com/2/problems/unsupported-authentication',
    });
  });

  it('answers a list with only meta when it is empty, and 200 with only errors for a missing account', async () => {
    expect(await (await get('/2/users/2244994945/followers')).json()).toEqual({ meta: { result_count: 0 } });
    expect(await (await get('/2/users/by/username/nobody')).json()).toMatchObject({
      errors: [{ title: 'Not Found Error', detail: 'Could not find user with usernames: [nobody].' }],
    });
  });

  it('shows a consent page and redirects with a code on approval', async () => {
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: 'tweet.read users.read offline.access',
      state: 'abc',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
    });
    const page = await fetch(`${emulator.authorizeUrl}?${params}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Flock wants to access your X account');
    expect(html).toContain('value="approve"');
    expect(html).toContain('@XDevelopers');

    const approved = await fetch(emulator.authorizeUrl, {
      method: 'POST',
      body: new URLSearchParams({
        ...Object.fromEntries(params),
        decision: 'approve',
        user_id: '2244994945',
      }),
      redirect: 'manual',
    });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('abc');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it('never redirects to an unregistered redirect_uri', async () => {
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: 'https://evil.example/callback',
      scope: 'users.read',
      state: 's',
      code_challenge: 'c',
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${emulator.authorizeUrl}?${params}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri does not match');
  });

  it('asks confidential clients for their Basic credentials', async () => {
    emulator.auth.apps.set('conf', {
      clientId: 'conf',
      clientSecret: 's3cret',
      name: 'C',
      redirectUris: [REDIRECT],
    });
    const res = await fetch(`${emulator.url}/2/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'conf' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Missing valid authorization header',
    });
  });

  it('logs each request with its endpoint and credential, never a token', async () => {
    await get('/2/users/2244994945');
    expect(emulator.requests()).toMatchObject([
      {
        method: 'GET',
        path: '/2/users/2244994945',
        endpoint: 'GET /2/users/:id',
        credential: `app:${DEFAULT_CLIENT_ID}`,
        status: 200,
      },
    ]);
    expect(JSON.stringify(emulator.log)).not.toContain(DEFAULT_BEARER);
  });

  it('adds latency on demand', async () => {
    emulator.faults.add({ latencyMs: 150 });
    const started = performance.now();
    expect((await get('/2/users/2244994945')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
