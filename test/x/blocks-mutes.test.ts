import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type UserAuth,
  XForbiddenError,
  XInvalidRequestError,
  XNotEnrolledError,
  XNotFoundError,
  XRateLimitedError,
  XUnauthorizedError,
  type XUser,
} from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

const SCOPES = ['tweet.read', 'users.read', 'block.read', 'mute.read', 'mute.write'];
const MUTING = 'GET /2/users/:id/muting';

let x: XHarness;
let me: EmuUser;
let crowd: EmuUser[];

beforeEach(async () => {
  x = await startXHarness();
  me = x.emulator.world.addUser({ username: 'me' });
  crowd = x.emulator.world.addUsers(25, 'c');
});
afterEach(() => x.close());

const authOf = (user: EmuUser, scopes = SCOPES): UserAuth => ({
  key: user.id,
  accessToken: x.emulator.auth.mintTokens(user.id, DEFAULT_CLIENT_ID, scopes).access_token,
});

const collect = async (pages: AsyncIterable<{ users: XUser[] }>) => {
  const users: XUser[] = [];
  for await (const page of pages) users.push(...page.users);
  return users;
};

describe('the token user’s own blocks and mutes', () => {
  it('pages through mutes and blocks newest first, asking X for the page size given', async () => {
    for (const [n, user] of crowd.entries()) x.emulator.world.mutes.add(me.id, user.id, x.clock.now() + n);
    for (const user of crowd.slice(0, 3)) x.emulator.world.block(me.id, user.id);
    const auth = authOf(me);

    const first = await x.client.muting(auth, { maxResults: 10, userFields: ['verified'] });
    expect(first.users.map((u) => u.username)).toEqual(
      crowd
        .slice(15)
        .reverse()
        .map((u) => u.username),
    );
    expect(first.users[0]).toMatchObject({ verified: false });
    expect(first.nextToken).toBeDefined();
    const muted = await collect(x.client.mutingPages(auth, { maxResults: 10 }));
    expect(muted.map((u) => u.id)).toEqual(crowd.map((u) => u.id).reverse());
    expect(
      x.emulator.requests('/muting').map((r) => new URLSearchParams(r.query).get('max_results')),
    ).toEqual(Array(4).fill('10'));

    const blocked = await collect(x.client.blockingPages(auth, { maxResults: 2 }));
    expect(blocked.map((u) => u.username)).toEqual(['c2', 'c1', 'c0']);
    expect(x.emulator.requests('/blocking')).toHaveLength(2);
    const loner = x.emulator.world.addUser({ username: 'loner' });
    expect(await x.client.blocking(authOf(loner), { maxResults: 5 })).toEqual({
      users: [],
      nextToken: undefined,
      previousToken: undefined,
    });
  });

  it('a token without mute.read is forbidden, and an auth that names no X user sends nothing', async () => {
    const blockOnly = authOf(me, ['tweet.read', 'users.read', 'block.read']);
    await expect(x.client.muting(blockOnly, { maxResults: 5 })).rejects.toBeInstanceOf(XForbiddenError);
    expect((await x.client.blocking(blockOnly, { maxResults: 5 })).users).toEqual([]);

    const unnamed = { key: 'linking:someone', accessToken: blockOnly.accessToken };
    await expect(x.client.blocking(unnamed, { maxResults: 5 })).rejects.toBeInstanceOf(XInvalidRequestError);
    await expect(x.client.mute(unnamed, crowd[0]?.id ?? '')).rejects.toBeInstanceOf(XInvalidRequestError);
    await expect(x.client.muting(authOf(me), { maxResults: 0 })).rejects.toBeInstanceOf(XInvalidRequestError);
    expect(x.emulator.requests()).toHaveLength(2);
  });

  it('another account’s :id is forbidden, whoever the token says it is', async () => {
    const other = crowd[0] as EmuUser;
    const mine = authOf(me);
    const posing = { ...mine, userId: other.id };
    const error = await x.client.muting(posing, { maxResults: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XForbiddenError);
    expect(error).toMatchObject({ status: 403, endpoint: MUTING });
    await expect(x.client.unmute(posing, me.id)).rejects.toBeInstanceOf(XForbiddenError);
    // A key that is not the X user id works when the auth says which user it is.
    expect(
      (await x.client.muting({ ...mine, key: 'discord:1', userId: me.id }, { maxResults: 5 })).users,
    ).toEqual([]);
  });

  it('mutes and unmutes, and repeating either changes nothing', async () => {
    const target = crowd[4] as EmuUser;
    const auth = authOf(me);
    expect(await x.client.mute(auth, target.id)).toEqual({ muting: true });
    expect(await x.client.mute(auth, target.id)).toEqual({ muting: true });
    expect(x.emulator.world.mutes.list(me.id)).toEqual([target.id]);
    expect(await x.client.unmute(auth, target.id)).toEqual({ muting: false });
    expect(await x.client.unmute(auth, target.id)).toEqual({ muting: false });
    expect(x.emulator.world.mutes.has(me.id, target.id)).toBe(false);
    expect(x.costMeter.today().writesByKind).toEqual({ follow: 0, mute: 2, unmute: 2 });

    await expect(x.client.mute(auth, '123')).rejects.toBeInstanceOf(XNotFoundError);
    await expect(
      x.client.mute(authOf(me, ['tweet.read', 'users.read', 'mute.read']), target.id),
    ).rejects.toBeInstanceOf(XForbiddenError);
  });

  it('a plan without mute writes is not-enrolled, for mute and unmute alike', async () => {
    x.emulator.removeMuteEndpoints();
    const auth = authOf(me);
    await expect(x.client.mute(auth, crowd[0]?.id ?? '')).rejects.toBeInstanceOf(XNotEnrolledError);
    await expect(x.client.unmute(auth, crowd[0]?.id ?? '')).rejects.toBeInstanceOf(XNotEnrolledError);
    expect(x.costMeter.today().writes).toBe(0);
    // Reads are untouched.
    expect((await x.client.muting(auth, { maxResults: 5 })).users).toEqual([]);
  });

  it('reads each list 15 times per 15 minutes per user, as the headers say: the 16th is not sent', async () => {
    const auth = authOf(me);
    for (let n = 0; n < 15; n += 1) await x.client.muting(auth, { maxResults: 1 });
    expect(x.client.bucketLimit(MUTING, auth)).toBe(15);
    expect(x.client.bucketLimit(MUTING)).toBeUndefined();

    const error = (await x.client
      .muting(auth, { maxResults: 1 })
      .catch((e: unknown) => e)) as XRateLimitedError;
    expect(error).toBeInstanceOf(XRateLimitedError);
    expect(error.local).toBe(true);
    expect(error.resetAt).toBe(Math.ceil((x.clock.now() + 15 * 60_000) / 1000) * 1000);
    expect(x.emulator.requests('/muting')).toHaveLength(15);
    expect(x.emulator.requests().every((r) => r.status === 200)).toBe(true);

    // Blocks, and other users, have buckets of their own.
    await x.client.blocking(auth, { maxResults: 1 });
    await x.client.muting(authOf(crowd[0] as EmuUser), { maxResults: 1 });
    x.clock.set(error.resetAt);
    await x.client.muting(auth, { maxResults: 1 });
    expect(x.emulator.requests('/muting')).toHaveLength(17);
  });

  it('a revoked token is unauthorized', async () => {
    const auth = authOf(me);
    x.emulator.auth.revokeUser(me.id);
    await expect(x.client.blocking(auth, { maxResults: 5 })).rejects.toBeInstanceOf(XUnauthorizedError);
    await expect(x.client.mute(auth, crowd[0]?.id ?? '')).rejects.toBeInstanceOf(XUnauthorizedError);
  });
});
