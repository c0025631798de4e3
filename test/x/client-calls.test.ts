import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
let jack: EmuUser;
let fans: EmuUser[];

beforeEach(async () => {
  x = await startXHarness();
  jack = x.emulator.world.addUser({
    id: '1234567890123456789',
    username: 'jack',
    name: 'jack',
    description: 'just setting up my twttr',
    verified: true,
    tweetCount: 29_000,
  });
  fans = x.emulator.world.addUsers(5, 'fan');
  // fan0 follows first, fan4 last: lists come newest first.
  for (const [n, fan] of fans.entries()) x.emulator.world.follow(fan.id, jack.id, x.clock.now() + n);
  x.emulator.world.follow(jack.id, fans[0]?.id ?? '');
});
afterEach(() => x.close());

const userAuth = (h: XHarness, user: EmuUser) => {
  const tokens = h.emulator.auth.mintTokens(user.id, DEFAULT_CLIENT_ID, [
    'tweet.read',
    'users.read',
    'follows.read',
    'follows.write',
  ]);
  return { key: user.id, accessToken: tokens.access_token };
};

describe('the follows API module against the X emulator', () => {
  it('reads followers newest first, with the fields asked for and ids as strings', async () => {
    const page = await x.client.followers(jack.id, {
      maxResults: 10,
      userFields: ['public_metrics', 'verified'],
    });
    expect(page.users.map((u) => u.username)).toEqual(['fan4', 'fan3', 'fan2', 'fan1', 'fan0']);
    expect(page.users[0]).toMatchObject({
      verified: false,
      public_metrics: { followers_count: 0, following_count: 1 },
    });
    expect(page.nextToken).toBeUndefined();
    const [request] = x.emulator.requests('/followers');
    expect(request?.query).toContain('max_results=10');
    expect(request?.query).toContain('user.fields=public_metrics%2Cverified');
  });

  it('reads following', async () => {
    const page = await x.client.following(jack.id, { maxResults: 5 });
    expect(page.users).toEqual([{ id: fans[0]?.id, name: 'fan 0', username: 'fan0' }]);
  });

  it('returns an empty page when the list is empty (X omits data)', async () => {
    const loner = x.emulator.world.addUser({ username: 'loner' });
    expect(await x.client.followers(loner.id, { maxResults: 10 })).toEqual({
      users: [],
      nextToken: undefined,
      previousToken: undefined,
    });
  });

  it('looks users up by username, by id, and many at once', async () => {
    const byName = await x.client.userByUsername('JACK', {
      userFields: ['description', 'public_metrics', 'created_at'],
    });
    expect(byName).toMatchObject({
      id: '1234567890123456789',
      description: 'just setting up my twttr',
      public_metrics: { followers_count: 5, tweet_count: 29_000 },
    });
    expect(byName.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await x.client.userById(jack.id)).username).toBe('jack');

    x.emulator.world.addUser({ username: 'gone', state: 'suspended' });
    const many = await x.client.usersByUsernames(['jack', 'fan1', 'nobody_here', 'gone']);
    expect(many.users.map((u) => u.username)).toEqual(['jack', 'fan1']);
    expect(many.missing).toEqual([
      { value: 'nobody_here', reason: 'not-found' },
      { value: 'gone', reason: 'suspended' },
    ]);
    const byIds = await x.client.usersByIds([jack.id, fans[2]?.id ?? '', '999']);
    expect(byIds.users.map((u) => u.username)).toEqual(['jack', 'fan2']);
    expect(byIds.missing).toEqual([{ value: '999', reason: 'not-found' }]);
  });

  it('sends many-user lookups 100 at a time', async () => {
    const crowd = x.emulator.world.addUsers(250, 'crowd');
    const result = await x.client.usersByIds(crowd.map((u) => u.id));
    expect(result.users).toHaveLength(250);
    expect(x.emulator.requests('GET /2/users').filter((r) => r.endpoint === 'GET /2/users')).toHaveLength(3);
  });

  it('reads post_count as tweet_count when X uses the newer name', async () => {
    x.emulator.settings.postCountField = 'post_count';
    const user = await x.client.userById(jack.id, { userFields: ['public_metrics'] });
    expect(user.public_metrics?.tweet_count).toBe(29_000);
  });

  it('answers me with a user token', async () => {
    const me = await x.client.me(userAuth(x, fans[1] as EmuUser));
    expect(me.username).toBe('fan1');
  });

  it('follows and unfollows with a user token, and repeating either changes nothing', async () => {
    const fan = fans[3] as EmuUser;
    const auth = userAuth(x, fan);
    const target = x.emulator.world.addUser({ username: 'target' });
    expect(await x.client.follow(auth, fan.id, target.id)).toEqual({ following: true, pendingFollow: false });
    expect(await x.client.follow(auth, fan.id, target.id)).toEqual({ following: true, pendingFollow: false });
    expect(x.emulator.world.follows(fan.id, target.id)).toBe(true);
    expect(await x.client.unfollow(auth, fan.id, target.id)).toEqual({ following: false });
    expect(await x.client.unfollow(auth, fan.id, target.id)).toEqual({ following: false });
    expect(x.emulator.world.follows(fan.id, target.id)).toBe(false);
  });

  it('leaves a follow of a protected account pending until it is approved', async () => {
    const fan = fans[0] as EmuUser;
    const locked = x.emulator.world.addUser({ username: 'locked', protected: true });
    expect(await x.client.follow(userAuth(x, fan), fan.id, locked.id)).toEqual({
      following: false,
      pendingFollow: true,
    });
    expect(x.emulator.world.follows(fan.id, locked.id)).toBe(false);
    x.emulator.world.approve(locked.id, fan.id);
    expect(x.emulator.world.follows(fan.id, locked.id)).toBe(true);
  });

  it('never sends a malformed id or username', async () => {
    await expect(x.client.followers('12a', { maxResults: 10 })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    await expect(x.client.userByUsername('no spaces')).rejects.toMatchObject({ kind: 'invalid-request' });
    await expect(x.client.followers(jack.id, { maxResults: 1001 })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    expect(x.emulator.requests()).toHaveLength(0);
  });

  it('keeps ids beyond 2^53 exact', async () => {
    const big = x.emulator.world.addUser({ id: '9223372036854775807', username: 'bigid' });
    x.clock.advance(60_000);
    x.emulator.world.follow(big.id, jack.id);
    const page = await x.client.followers(jack.id, { maxResults: 1 });
    expect(page.users[0]?.id).toBe('9223372036854775807');
  });
});
