import { afterEach, describe, expect, it } from 'vitest';
import { RateLimits, XRateLimitedError } from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import { ManualClock } from '../support/manual-clock.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
afterEach(() => x.close());

describe('rate limits read from the headers', () => {
  it('a bucket at zero sends nothing and reports the reset time, until the reset', async () => {
    x = await startXHarness({ emulator: { limits: { 'GET /2/users/:id/followers': { app: 2 } } } });
    const star = x.emulator.world.addUser({ username: 'star' });
    await x.client.followers(star.id, { maxResults: 10 });
    await x.client.followers(star.id, { maxResults: 10 });
    expect(x.rateLimits.get('GET /2/users/:id/followers app')).toMatchObject({
      limit: 2,
      remaining: 0,
    });

    const error = (await x.client
      .followers(star.id, { maxResults: 10 })
      .catch((e: unknown) => e)) as XRateLimitedError;
    expect(error).toBeInstanceOf(XRateLimitedError);
    expect(error.local).toBe(true);
    expect(error.resetAt).toBe(Math.ceil((x.clock.now() + 15 * 60_000) / 1000) * 1000);
    expect(x.emulator.requests('/followers')).toHaveLength(2);

    // Other buckets are unaffected.
    await x.client.following(star.id, { maxResults: 10 });

    x.clock.set(error.resetAt);
    await x.client.followers(star.id, { maxResults: 10 });
    expect(x.emulator.requests('/followers')).toHaveLength(3);
  });

  it('tells the limit of an endpoint’s app bucket once X has given it', async () => {
    x = await startXHarness({
      emulator: { limits: { 'GET /2/users/:id/followers': { app: 40 }, 'GET /2/users/me': { user: 7 } } },
    });
    const star = x.emulator.world.addUser({ username: 'star' });
    expect(x.client.bucketLimit('GET /2/users/:id/followers')).toBeUndefined();
    await x.client.followers(star.id, { maxResults: 10 });
    await x.client.followers(star.id, { maxResults: 10 });
    expect(x.client.bucketLimit('GET /2/users/:id/followers')).toBe(40);
    expect(x.client.bucketLimit('GET /2/users/:id/following')).toBeUndefined();

    // A user's bucket is that user's, not the app's.
    await x.client.me({
      key: star.id,
      accessToken: x.emulator.auth.mintTokens(star.id, DEFAULT_CLIENT_ID, ['tweet.read', 'users.read'])
        .access_token,
    });
    expect(x.client.bucketLimit('GET /2/users/me')).toBeUndefined();
  });

  it('waits for the reset when the caller allows it, and not past the bound it gives', async () => {
    x = await startXHarness({ emulator: { limits: { 'GET /2/users/:id': { app: 1 } } } });
    const star = x.emulator.world.addUser({ username: 'star' });
    await x.client.userById(star.id);
    await expect(x.client.userById(star.id, { waitForRateLimitMs: 60_000 })).rejects.toBeInstanceOf(
      XRateLimitedError,
    );

    const waiting = x.client.userById(star.id, { waitForRateLimitMs: 16 * 60_000 });
    await new Promise((r) => setTimeout(r, 20));
    expect(x.clock.sleeping).toBe(1);
    expect(x.emulator.requests('GET /2/users/')).toHaveLength(1);
    x.clock.advance(15 * 60_000 + 1000);
    expect((await waiting).username).toBe('star');
    expect(x.emulator.requests('GET /2/users/')).toHaveLength(2);
  });

  it('keeps app and user buckets apart, and one user from another', async () => {
    x = await startXHarness({ emulator: { limits: { 'GET /2/users/me': { user: 1 } } } });
    const [a, b] = x.emulator.world.addUsers(2, 'u');
    const auth = (id: string) => ({
      key: id,
      accessToken: x.emulator.auth.mintTokens(id, DEFAULT_CLIENT_ID, ['tweet.read', 'users.read'])
        .access_token,
    });
    await x.client.me(auth(a?.id ?? ''));
    await expect(x.client.me(auth(a?.id ?? ''))).rejects.toMatchObject({ kind: 'rate-limited', local: true });
    expect((await x.client.me(auth(b?.id ?? ''))).username).toBe('u1');
  });

  it('concurrent callers cannot all spend the last request', async () => {
    x = await startXHarness({ emulator: { limits: { 'GET /2/users/:id': { app: 3 } } } });
    const star = x.emulator.world.addUser({ username: 'star' });
    await x.client.userById(star.id);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => x.client.userById(star.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(x.emulator.requests('GET /2/users/').map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('honours a spent 24-hour window after the 15-minute one refills', async () => {
    x = await startXHarness({
      emulator: { limits: { 'POST /2/users/:id/following': { user: 50, userDaily: 2 } } },
    });
    const [fan, s1, s2, s3] = x.emulator.world.addUsers(4, 'p');
    const id = (u: typeof fan) => u?.id ?? '';
    const auth = {
      key: id(fan),
      accessToken: x.emulator.auth.mintTokens(id(fan), DEFAULT_CLIENT_ID, [
        'tweet.read',
        'users.read',
        'follows.write',
      ]).access_token,
    };
    await x.client.follow(auth, id(fan), id(s1));
    await x.client.follow(auth, id(fan), id(s2));
    x.clock.advance(16 * 60_000);
    const error = (await x.client
      .follow(auth, id(fan), id(s3))
      .catch((e: unknown) => e)) as XRateLimitedError;
    expect(error).toMatchObject({ kind: 'rate-limited', local: true });
    expect(error.resetAt - x.clock.now()).toBeGreaterThan(20 * 60 * 60_000);
    expect(x.emulator.requests('POST')).toHaveLength(2);
  });

  it('after a 429 the bucket stays closed until the reset X gave', async () => {
    x = await startXHarness();
    const star = x.emulator.world.addUser({ username: 'star' });
    x.emulator.faults.add({ match: '/followers', status: 429 });
    await expect(x.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({
      kind: 'rate-limited',
      local: false,
    });
    await expect(x.client.followers(star.id, { maxResults: 5 })).rejects.toMatchObject({
      kind: 'rate-limited',
      local: true,
    });
    expect(x.emulator.requests('/followers')).toHaveLength(1);
    x.clock.advance(15 * 60_000 + 1000);
    await x.client.followers(star.id, { maxResults: 5 });
    expect(x.emulator.requests('/followers')).toHaveLength(2);
  });
});

describe('rate-limit buckets in memory', () => {
  it('forgets every user’s windows once they have reset', async () => {
    x = await startXHarness();
    const users = x.emulator.world.addUsers(25, 'u');
    const auth = (id: string) => ({
      key: id,
      accessToken: x.emulator.auth.mintTokens(id, DEFAULT_CLIENT_ID, ['tweet.read', 'users.read'])
        .access_token,
    });
    const tokens = users.map((u) => auth(u.id));
    const [first, ...rest] = tokens;
    if (!first) throw new Error('no users');
    await x.client.me(first);
    const perBucket = x.rateLimits.size;
    expect(perBucket).toBeGreaterThan(0);
    for (const token of rest) await x.client.me(token);
    expect(x.rateLimits.size).toBe(25 * perBucket);

    // A window past its reset says nothing the next answer will not say again.
    x.clock.advance(16 * 60_000);
    await x.client.me(first);
    expect(x.rateLimits.size).toBe(perBucket);
    expect(x.rateLimits.snapshot()).toEqual({
      [`GET /2/users/me user:${first.key}|15min`]: expect.objectContaining({ remaining: expect.any(Number) }),
    });
  });

  it('keeps a reset window while a request on its bucket is still in flight', () => {
    const clock = new ManualClock();
    const limits = new RateLimits(clock);
    const reset = String(Math.floor((clock.now() + 15 * 60_000) / 1000));
    const headers = new Headers({
      'x-rate-limit-limit': '15',
      'x-rate-limit-remaining': '9',
      'x-rate-limit-reset': reset,
    });
    limits.update('GET /a user:1', headers);
    limits.update('GET /a user:2', headers);
    const inFlight = limits.reserve('GET /a user:1');
    clock.advance(16 * 60_000);
    expect(limits.snapshot()).toEqual({});
    expect(limits.size).toBe(1);
    inFlight();
    limits.snapshot();
    expect(limits.size).toBe(0);
  });
});
