import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createXClient,
  XForbiddenError,
  XNotEnrolledError,
  XNotFoundError,
  XProtectedError,
  XRateLimitedError,
  XSuspendedError,
  XUnauthorizedError,
  XUnavailableError,
} from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
let alice: EmuUser;
beforeEach(async () => {
  x = await startXHarness();
  alice = x.emulator.world.addUser({ username: 'alice' });
});
afterEach(() => x.close());

const aliceAuth = (scopes = ['tweet.read', 'users.read', 'follows.read', 'follows.write']) => ({
  key: alice.id,
  accessToken: x.emulator.auth.mintTokens(alice.id, DEFAULT_CLIENT_ID, scopes).access_token,
});

describe('X errors, translated at the edge', () => {
  it.each(['200', '404'] as const)('an unknown user is not-found (X answering %s)', async (style) => {
    x.emulator.settings.notFoundStyle = style;
    await expect(x.client.userByUsername('nobody')).rejects.toBeInstanceOf(XNotFoundError);
    await expect(x.client.userById('42')).rejects.toBeInstanceOf(XNotFoundError);
    expect(x.emulator.requests().map((r) => r.status)).toEqual(style === '200' ? [200, 200] : [404, 404]);
  });

  it('a deactivated user is not-found, a suspended one is suspended', async () => {
    const gone = x.emulator.world.addUser({ username: 'gone', state: 'deactivated' });
    const banned = x.emulator.world.addUser({ username: 'banned', state: 'suspended' });
    await expect(x.client.userById(gone.id)).rejects.toBeInstanceOf(XNotFoundError);
    await expect(x.client.userByUsername('banned')).rejects.toBeInstanceOf(XSuspendedError);
    await expect(x.client.followers(banned.id, { maxResults: 10 })).rejects.toBeInstanceOf(XSuspendedError);
    await expect(x.client.followers('77', { maxResults: 10 })).rejects.toBeInstanceOf(XNotFoundError);
  });

  it("a protected account's lists are protected for the app, and open to its approved followers", async () => {
    const locked = x.emulator.world.addUser({ username: 'locked', protected: true });
    await expect(x.client.followers(locked.id, { maxResults: 10 })).rejects.toBeInstanceOf(XProtectedError);
    await expect(x.client.following(locked.id, { maxResults: 10, auth: aliceAuth() })).rejects.toBeInstanceOf(
      XProtectedError,
    );
    x.emulator.world.follow(alice.id, locked.id);
    const page = await x.client.following(locked.id, { maxResults: 10, auth: aliceAuth() });
    expect(page.users).toEqual([]);
  });

  it('a bad, expired or revoked token is unauthorized', async () => {
    const bad = createXClient({ apiUrl: x.emulator.url, bearerToken: 'not-a-real-token', clock: x.clock });
    await expect(bad.userByUsername('alice')).rejects.toBeInstanceOf(XUnauthorizedError);
    const auth = aliceAuth();
    x.clock.advance(7200_000);
    await expect(x.client.me(auth)).rejects.toBeInstanceOf(XUnauthorizedError);
    const fresh = aliceAuth();
    x.emulator.auth.revokeUser(alice.id);
    await expect(x.client.me(fresh)).rejects.toBeInstanceOf(XUnauthorizedError);
  });

  it('a plan without the follow endpoints is not-enrolled', async () => {
    x.emulator.removeFollowEndpoints();
    const target = x.emulator.world.addUser({ username: 'target' });
    await expect(x.client.follow(aliceAuth(), alice.id, target.id)).rejects.toBeInstanceOf(XNotEnrolledError);
    await expect(x.client.unfollow(aliceAuth(), alice.id, target.id)).rejects.toBeInstanceOf(
      XNotEnrolledError,
    );
  });

  it('the wrong kind of token, a missing scope or someone else’s id is forbidden', async () => {
    const bearerOnMe = x.client.me({ key: 'app', accessToken: 'flock-emulator-bearer' });
    await expect(bearerOnMe).rejects.toMatchObject({
      kind: 'forbidden',
      reason: 'unsupported-authentication',
    });
    const target = x.emulator.world.addUser({ username: 'target' });
    const readOnly = aliceAuth(['tweet.read', 'users.read', 'follows.read']);
    await expect(x.client.follow(readOnly, alice.id, target.id)).rejects.toBeInstanceOf(XForbiddenError);
    await expect(x.client.follow(aliceAuth(), target.id, alice.id)).rejects.toBeInstanceOf(XForbiddenError);
  });

  it.each(['problem', 'legacy'] as const)(
    '429 is rate-limited with the reset time (%s body)',
    async (style) => {
      x.emulator.settings.rateLimitStyle = style;
      x.emulator.faults.add({ match: '/followers', status: 429 });
      const error = await x.client.followers(alice.id, { maxResults: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(XRateLimitedError);
      expect((error as XRateLimitedError).resetAt).toBeGreaterThan(x.clock.now());
      expect(x.emulator.requests('/followers')).toHaveLength(1);
    },
  );

  it('a 429 from the limiter carries X’s reset header', async () => {
    x.emulator.limiter.limits['GET /2/users/:id'] = { app: 1 };
    await x.client.userById(alice.id);
    x.emulator.limiter.limits['GET /2/users/:id'] = { app: 1 };
    // A second client does not know the bucket is empty, so X answers 429 itself.
    const other = createXClient({
      apiUrl: x.emulator.url,
      bearerToken: 'flock-emulator-bearer',
      clock: x.clock,
    });
    const error = (await other.userById(alice.id).catch((e: unknown) => e)) as XRateLimitedError;
    expect(error).toBeInstanceOf(XRateLimitedError);
    expect(error.local).toBe(false);
    expect(error.resetAt).toBe(Math.ceil((x.clock.now() + 15 * 60_000) / 1000) * 1000);
    expect(error.bucket).toBe('GET /2/users/:id app');
  });

  it('5xx after every retry is unavailable, and errors never carry a token', async () => {
    x.emulator.faults.add({ status: 503, times: 10 });
    const auth = aliceAuth();
    const error = (await x.client.me(auth).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(XUnavailableError);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(auth.accessToken);
    expect(String(error)).not.toContain('flock-emulator-bearer');
  });

  it('a refused connection is unavailable', async () => {
    const url = x.emulator.url;
    await x.close();
    const client = createXClient({
      apiUrl: url,
      bearerToken: 'flock-emulator-bearer',
      clock: x.clock,
      retry: { limit: 1, baseDelayMs: 1 },
    });
    await expect(client.userByUsername('alice')).rejects.toBeInstanceOf(XUnavailableError);
    x = await startXHarness();
  });
});
