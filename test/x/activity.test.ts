import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type NewActivitySubscription,
  XInvalidRequestError,
  XLimitReachedError,
  XNeedsUserContextError,
  XNotEnrolledError,
  XNotFoundError,
  XRateLimitedError,
  XRefusedError,
  XSuspendedError,
} from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
let star: EmuUser;
beforeEach(async () => {
  x = await startXHarness();
  star = x.emulator.world.addUser({ username: 'star' });
});
afterEach(() => x.close());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const follows = (user: EmuUser, tag?: string): NewActivitySubscription => ({
  eventType: 'follow.follow',
  userId: user.id,
  ...(tag ? { tag } : {}),
});

const tokenOf = (user: EmuUser) => ({
  key: user.id,
  accessToken: x.emulator.auth.mintTokens(user.id, DEFAULT_CLIENT_ID, [
    'tweet.read',
    'users.read',
    'follows.read',
  ]).access_token,
});

describe('Activity API subscriptions', () => {
  it('creates, lists and deletes subscriptions, without billing anything', async () => {
    const follow = await x.client.createActivitySubscription(follows(star, 'flock'));
    const unfollow = await x.client.createActivitySubscription({
      eventType: 'follow.unfollow',
      userId: star.id,
    });
    expect(follow).toEqual({
      id: expect.stringMatching(/^\d+$/),
      eventType: 'follow.follow',
      userId: star.id,
      tag: 'flock',
      createdAt: '2026-11-28T12:00:00.000Z',
    });
    expect(unfollow).toMatchObject({ eventType: 'follow.unfollow', tag: undefined });
    expect(await collect(x.client.activitySubscriptions())).toEqual([follow, unfollow]);

    await x.client.deleteActivitySubscription(follow.id);
    expect(await collect(x.client.activitySubscriptions())).toEqual([unfollow]);
    expect(x.emulator.activity.subscriptions.map((s) => s.id)).toEqual([unfollow.id]);
    expect(x.emulator.billing.day().usd).toBe(0);
  });

  it('treats deleting an unknown subscription as done', async () => {
    const sub = await x.client.createActivitySubscription(follows(star));
    await x.client.deleteActivitySubscription(sub.id);
    await x.client.deleteActivitySubscription(sub.id);
    await x.client.deleteActivitySubscription('123');
    expect(x.emulator.requests('DELETE /2/activity/subscriptions/').map((r) => r.status)).toEqual([
      200, 404, 404,
    ]);
    await expect(x.client.deleteActivitySubscription('../users/1')).rejects.toBeInstanceOf(
      XInvalidRequestError,
    );
  });

  it('walks every page of a long list', async () => {
    const fans = x.emulator.world.addUsers(1203, 'fan');
    for (const fan of fans)
      x.emulator.activity.subscribe({ appId: DEFAULT_CLIENT_ID, eventType: 'follow.follow', userId: fan.id });
    const all = await collect(x.client.activitySubscriptions());
    expect(all.map((s) => s.userId)).toEqual(fans.map((f) => f.id));
    const queries = x.emulator.requests('GET /2/activity/subscriptions').map((r) => r.query);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toBe('?max_results=1000');
    expect(queries[1]).toMatch(/pagination_token=[a-z0-9]{16,}/);
  });

  it.each(['409', '400'] as const)(
    'resolves a duplicate (X answering %s) to the existing subscription',
    async (style) => {
      x.emulator.activity.settings.duplicateStyle = style;
      const first = await x.client.createActivitySubscription(follows(star, 'first'));
      const again = await x.client.createActivitySubscription(follows(star, 'second'));
      expect(again).toEqual(first);
      expect(x.emulator.requests('POST /2/activity/subscriptions').map((r) => r.status)).toEqual([
        200,
        Number(style),
      ]);
      expect(x.emulator.activity.subscriptions).toHaveLength(1);
    },
  );

  it('says plainly when the plan lacks the Activity API', async () => {
    x.emulator.removeActivityApi();
    await expect(x.client.createActivitySubscription(follows(star))).rejects.toBeInstanceOf(
      XNotEnrolledError,
    );
    await expect(collect(x.client.activitySubscriptions())).rejects.toBeInstanceOf(XNotEnrolledError);
    await expect(x.client.deleteActivitySubscription('1')).rejects.toBeInstanceOf(XNotEnrolledError);
  });

  it('tells a refused account from a missing or suspended one', async () => {
    x.emulator.activity.settings.refusedUserIds.add(star.id);
    const refused = await x.client.createActivitySubscription(follows(star)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(XRefusedError);
    expect((refused as XRefusedError).kind).toBe('refused');

    // Protected accounts are accepted and then send nothing, unless X refuses them outright.
    const locked = x.emulator.world.addUser({ username: 'locked', protected: true });
    expect((await x.client.createActivitySubscription(follows(locked))).userId).toBe(locked.id);
    x.emulator.activity.settings.protectedAccounts = 'refuse';
    await expect(
      x.client.createActivitySubscription({ eventType: 'follow.unfollow', userId: locked.id }),
    ).rejects.toBeInstanceOf(XRefusedError);

    await expect(
      x.client.createActivitySubscription(follows({ id: '42' } as EmuUser)),
    ).rejects.toBeInstanceOf(XNotFoundError);
    x.emulator.settings.notFoundStyle = '404';
    await expect(
      x.client.createActivitySubscription(follows({ id: '43' } as EmuUser)),
    ).rejects.toBeInstanceOf(XNotFoundError);
    const banned = x.emulator.world.addUser({ username: 'banned', state: 'suspended' });
    await expect(x.client.createActivitySubscription(follows(banned))).rejects.toBeInstanceOf(
      XSuspendedError,
    );
  });

  it('checks its input before sending anything', async () => {
    await expect(
      x.client.createActivitySubscription({ eventType: 'like.like' as 'follow.follow', userId: star.id }),
    ).rejects.toBeInstanceOf(XInvalidRequestError);
    await expect(
      x.client.createActivitySubscription({ eventType: 'follow.follow', userId: '@star' }),
    ).rejects.toBeInstanceOf(XInvalidRequestError);
    expect(x.emulator.requests()).toEqual([]);
  });

  it('needs the account’s own token where X asks for user context', async () => {
    x.emulator.activity.settings.userContextUserIds.add(star.id);
    await expect(x.client.createActivitySubscription(follows(star))).rejects.toBeInstanceOf(
      XNeedsUserContextError,
    );

    const sub = await x.client.createActivitySubscription(follows(star), { auth: tokenOf(star) });
    expect(sub.userId).toBe(star.id);
    const other = x.emulator.world.addUser({ username: 'other' });
    await expect(
      x.client.createActivitySubscription(
        { eventType: 'follow.unfollow', userId: star.id },
        { auth: tokenOf(other) },
      ),
    ).rejects.toBeInstanceOf(XRefusedError);

    // The subscription belongs to the app, whichever token made it.
    expect(await collect(x.client.activitySubscriptions())).toEqual([sub]);
    expect(x.emulator.requests('POST /2/activity/subscriptions').map((r) => r.credential)).toEqual([
      `app:${DEFAULT_CLIENT_ID}`,
      `user:${star.id}`,
      `user:${other.id}`,
    ]);
  });

  it.each(['client-forbidden', 'usage-capped'] as const)(
    'reports the plan’s limit as limit-reached (X answering %s), and frees a place on delete',
    async (style) => {
      x.emulator.activity.settings.subscriptionLimit = 2;
      x.emulator.activity.settings.limitStyle = style;
      const fan = x.emulator.world.addUser({ username: 'fan' });
      const first = await x.client.createActivitySubscription(follows(star));
      await x.client.createActivitySubscription({ eventType: 'follow.unfollow', userId: star.id });

      const refused = await x.client.createActivitySubscription(follows(fan)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(XLimitReachedError);
      expect((refused as XLimitReachedError).limit).toBe('subscriptions');
      // At the limit, one that exists is still found.
      expect(await x.client.createActivitySubscription(follows(star))).toEqual(first);

      // Nothing was taken for a rate limit: once a place is free, the next one is sent and made.
      await x.client.deleteActivitySubscription(first.id);
      expect((await x.client.createActivitySubscription(follows(fan))).userId).toBe(fan.id);
    },
  );

  it('does not send while the bucket is known to be empty', async () => {
    x.emulator.limiter.exhaust('POST /2/activity/subscriptions', `app:${DEFAULT_CLIENT_ID}`);
    const first = await x.client.createActivitySubscription(follows(star)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(XRateLimitedError);
    expect((first as XRateLimitedError).local).toBe(false);
    const second = await x.client.createActivitySubscription(follows(star)).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(XRateLimitedError);
    expect((second as XRateLimitedError).local).toBe(true);
    expect(x.emulator.requests('POST /2/activity/subscriptions')).toHaveLength(1);
  });
});
