/** The X emulator's Activity API, checked over raw HTTP where Flock's client tests do not reach. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../support/manual-clock.js';
import { seedDemo, startNewFollowers } from './x/seed.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from './x/server.js';
import type { EmuUser } from './x/world.js';

let emulator: XEmulator;
let clock: ManualClock;
let star: EmuUser;
let fan: EmuUser;
const streams: RawStream[] = [];
const KEEP_ALIVE_MS = 40;

beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startXEmulator({
    clock,
    bearerTokens: { [DEFAULT_BEARER]: DEFAULT_CLIENT_ID, 'other-app-bearer': 'other-app' },
    activity: { keepAliveMs: KEEP_ALIVE_MS },
  });
  star = emulator.world.addUser({ id: '2244994945', username: 'XDevelopers', name: 'Developers' });
  fan = emulator.world.addUser({ id: '783214', username: 'X', name: 'X' });
});
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await emulator.close();
});

const call = (method: string, path: string, body?: unknown, token = DEFAULT_BEARER) =>
  fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const subscribe = (body: unknown, token?: string) => call('POST', '/2/activity/subscriptions', body, token);
const followsOf = (user: EmuUser, extra: Record<string, unknown> = {}) => ({
  event_type: 'follow.follow',
  filter: { user_id: user.id },
  ...extra,
});

interface RawStream {
  res: Response;
  text(): string;
  /** The objects received so far (blank keep-alive lines left out). */
  objects(): Record<string, { [key: string]: unknown }>[];
  ended(): boolean;
  close(): Promise<void>;
}

async function openStream(query = '', token = DEFAULT_BEARER): Promise<RawStream> {
  const controller = new AbortController();
  const res = await fetch(`${emulator.url}/2/activity/stream${query}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  let text = '';
  let ended = false;
  const reading = (async () => {
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    try {
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read())
        text += decoder.decode(chunk.value, { stream: true });
    } catch {
      // aborted by close()
    }
    ended = true;
  })();
  const stream: RawStream = {
    res,
    text: () => text,
    objects: () =>
      text
        .split('\r\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ended: () => ended,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
  streams.push(stream);
  return stream;
}

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Activity API subscriptions in the emulator', () => {
  it('answers create, list, update and delete in X’s shapes', async () => {
    const created = await subscribe(followsOf(star, { tag: 'flock' }));
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({
      data: {
        subscription_id: expect.stringMatching(/^\d{19}$/),
        event_type: 'follow.follow',
        filter: { user_id: star.id },
        tag: 'flock',
        created_at: '2026-11-28T12:00:00.000Z',
        updated_at: '2026-11-28T12:00:00.000Z',
      },
      meta: { total_subscriptions: 1 },
    });
    const id = emulator.activity.subscriptions[0]?.id ?? '';

    clock.advance(60_000);
    const updated = await call('PUT', `/2/activity/subscriptions/${id}`, { tag: 'renamed' });
    expect(await updated.json()).toMatchObject({
      data: { subscription_id: id, tag: 'renamed', updated_at: '2026-11-28T12:01:00.000Z' },
    });
    expect(await (await call('GET', '/2/activity/subscriptions')).json()).toMatchObject({
      data: [{ subscription_id: id, tag: 'renamed' }],
      meta: { total_subscriptions: 1 },
    });

    const deleted = await call('DELETE', `/2/activity/subscriptions/${id}`);
    expect(await deleted.json()).toEqual({ data: { deleted: true }, meta: { total_subscriptions: 0 } });
    // An empty list has no `data`, as X's lists do.
    expect(await (await call('GET', '/2/activity/subscriptions')).json()).toEqual({
      meta: { total_subscriptions: 0 },
    });
  });

  it('answers 201 when so configured', async () => {
    emulator.activity.settings.createdStatus = 201;
    expect((await subscribe(followsOf(star))).status).toBe(201);
  });

  it('validates bodies and ids with X’s problems', async () => {
    const cases: [unknown, string][] = [
      [{ ...followsOf(star), event_type: 'follow.block' }, 'event_type'],
      [followsOf({ id: '12ab' } as EmuUser), 'filter.user_id'],
      [{ ...followsOf(star), colour: 'blue' }, 'colour'],
      [{ event_type: 'follow.follow', filter: { user_id: star.id, keyword: 'x' } }, 'filter.keyword'],
      [{ ...followsOf(star), tag: 'x'.repeat(201) }, 'tag'],
      [{ event_type: 'follow.follow' }, 'filter'],
    ];
    for (const [body, parameter] of cases) {
      const res = await subscribe(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { errors: { parameters: Record<string, unknown> }[] };
      expect(problem).toMatchObject({
        title: 'Invalid Request',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      });
      expect(Object.keys(problem.errors[0]?.parameters ?? {})).toEqual([parameter]);
    }

    const missing = await call('DELETE', '/2/activity/subscriptions/1234');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      title: 'Not Found Error',
      resource_type: 'subscription',
      type: 'https://api.twitter.com/2/problems/resource-not-found',
    });
    expect((await call('PUT', '/2/activity/subscriptions/1234', { tag: 'x' })).status).toBe(404);
    expect((await call('DELETE', '/2/activity/subscriptions/abc')).status).toBe(400);
    await subscribe(followsOf(star));
    const id = emulator.activity.subscriptions[0]?.id;
    expect(
      (await call('PUT', `/2/activity/subscriptions/${id}`, { event_type: 'follow.unfollow' })).status,
    ).toBe(400);
    expect((await call('GET', '/2/activity/subscriptions?max_results=0')).status).toBe(400);
    expect((await call('GET', '/2/activity/subscriptions?pagination_token=nope')).status).toBe(400);
    expect(emulator.activity.subscriptions).toHaveLength(1);
  });

  it('keeps each app’s subscriptions to itself', async () => {
    await subscribe(followsOf(star));
    const id = emulator.activity.subscriptions[0]?.id;
    expect(
      await (await call('GET', '/2/activity/subscriptions', undefined, 'other-app-bearer')).json(),
    ).toEqual({
      meta: { total_subscriptions: 0 },
    });
    expect(
      (await call('DELETE', `/2/activity/subscriptions/${id}`, undefined, 'other-app-bearer')).status,
    ).toBe(404);
    // The same account, for another app, is not a duplicate.
    expect((await subscribe(followsOf(star), 'other-app-bearer')).status).toBe(200);
  });
});

describe('Activity API events and stream in the emulator', () => {
  it('writes one JSON object per line per subscription concerned, and blank keep-alives', async () => {
    await subscribe(followsOf(star, { tag: 'star' }));
    await subscribe(followsOf(fan));
    const stream = await openStream();
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(stream.res.headers.get('x-rate-limit-limit')).toBe('50');
    await waitFor(() => expect(stream.text()).toMatch(/^(\r\n)+$/));

    emulator.world.follow(fan.id, star.id);
    emulator.world.follow(fan.id, star.id); // a repeat changes nothing, so says nothing
    await waitFor(() => expect(stream.objects()).toHaveLength(2));
    const [forStar, forFan] = stream.objects();
    expect(forStar).toEqual({
      data: {
        event_uuid: expect.any(String),
        filter: { user_id: star.id },
        event_type: 'follow.follow',
        tag: 'star',
        payload: {
          source: {
            data: {
              id: fan.id,
              name: 'X',
              username: 'X',
              description: '',
              profile_image_url: fan.profileImageUrl,
              protected: false,
              verified: false,
              public_metrics: expect.objectContaining({ followers_count: 0, following_count: 1 }),
            },
          },
          target: { data: expect.objectContaining({ id: star.id }) },
        },
      },
    });
    expect(forFan?.data).not.toHaveProperty('tag');
    expect(forFan?.data).toMatchObject({ filter: { user_id: fan.id } });
    expect(forFan?.data?.event_uuid).not.toBe(forStar?.data?.event_uuid);
    expect(emulator.activity.events.map((e) => e.uuid)).toEqual([
      forStar?.data?.event_uuid,
      forFan?.data?.event_uuid,
    ]);
  });

  it('sends nothing about protected, hidden or webhook-delivered accounts, and can withhold protected counterparts', async () => {
    const locked = emulator.world.addUser({ username: 'locked', protected: true });
    const banned = emulator.world.addUser({ username: 'banned', state: 'suspended' });
    const hooked = emulator.world.addUser({ username: 'hooked' });
    for (const user of [star, locked, hooked]) await subscribe(followsOf(user, { tag: user.username }));
    const id = emulator.activity.subscriptions.find((s) => s.userId === hooked.id)?.id;
    await call('PUT', `/2/activity/subscriptions/${id}`, { webhook_id: '1146654567674912769' });
    const stream = await openStream();

    emulator.world.follow(fan.id, locked.id);
    emulator.world.follow(banned.id, star.id);
    emulator.world.follow(fan.id, hooked.id);
    emulator.world.follow(locked.id, star.id); // a public account's protected follower: delivered by default
    emulator.activity.settings.protectedCounterparts = 'withhold';
    emulator.world.unfollow(locked.id, star.id);
    emulator.world.unfollow(fan.id, star.id); // never followed: nothing to say
    emulator.world.follow(fan.id, star.id);
    await waitFor(() => expect(stream.objects()).toHaveLength(2));
    await pause(KEEP_ALIVE_MS * 2);
    expect(stream.objects().map((o) => o.data?.payload)).toEqual([
      expect.objectContaining({
        source: { data: expect.objectContaining({ id: locked.id, protected: true }) },
      }),
      expect.objectContaining({ source: { data: expect.objectContaining({ id: fan.id }) } }),
    ]);
  });

  it('reports a follower who is suspended or deactivates as an unfollow with only their id, by default', async () => {
    const idol = emulator.world.addUser({ username: 'idol' });
    const locked = emulator.world.addUser({ username: 'locked', protected: true });
    const other = emulator.world.addUser({ username: 'other' });
    const unfollows = (user: EmuUser) =>
      followsOf(user, { event_type: 'follow.unfollow', tag: user.username });
    for (const user of [star, locked, fan]) await subscribe(unfollows(user));
    await subscribe(followsOf(idol)); // follows only: an unfollow is not for it
    for (const followee of [star, idol, locked]) emulator.world.follow(fan.id, followee.id);
    emulator.world.follow(other.id, star.id);
    emulator.world.follow(star.id, fan.id); // the gone user's own followers hear nothing
    const stream = await openStream();

    emulator.world.setState(fan.id, 'suspended');
    emulator.world.setState(fan.id, 'deactivated'); // already gone: nothing more to say
    emulator.world.setState(fan.id, 'active'); // back: X does not say, so nothing is said
    emulator.world.setState(other.id, 'deactivated');
    await waitFor(() => expect(stream.objects()).toHaveLength(2));
    await pause(KEEP_ALIVE_MS * 2);
    const [suspended, deactivated] = stream.objects();
    expect(suspended).toEqual({
      data: {
        event_uuid: expect.any(String),
        filter: { user_id: star.id },
        event_type: 'follow.unfollow',
        tag: 'XDevelopers',
        payload: {
          source: { data: { id: fan.id } },
          target: { data: expect.objectContaining({ id: star.id, username: 'XDevelopers' }) },
        },
      },
    });
    expect(deactivated?.data?.payload).toEqual({
      source: { data: { id: other.id } },
      target: { data: expect.objectContaining({ id: star.id }) },
    });
    // Hidden followers are not counted, as everywhere else.
    expect(deactivated?.data?.payload).toMatchObject({
      target: { data: { public_metrics: { followers_count: 1 } } },
    });
    expect(stream.objects()).toHaveLength(2);
  });

  it('says nothing about a follower who leaves X when goneFollowers is silent', async () => {
    emulator.activity.settings.goneFollowers = 'silent';
    await subscribe(followsOf(star, { event_type: 'follow.unfollow' }));
    emulator.world.follow(fan.id, star.id);
    const stream = await openStream();
    emulator.world.setState(fan.id, 'suspended');
    await pause(KEEP_ALIVE_MS * 2);
    expect(stream.objects()).toEqual([]);
    expect(emulator.activity.events).toEqual([]);
    expect(emulator.world.users.get(fan.id)?.state).toBe('suspended');
  });

  it('takes app Bearer tokens only, and at most two connections per app', async () => {
    const token = emulator.auth.mintTokens(fan.id, DEFAULT_CLIENT_ID, [
      'tweet.read',
      'users.read',
      'follows.read',
    ]);
    const user = await fetch(`${emulator.url}/2/activity/stream`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(user.status).toBe(403);
    expect(await user.json()).toMatchObject({
      title: 'Unsupported Authentication',
      detail: expect.stringContaining('OAuth 2.0 User Context is forbidden'),
      type: 'https://api.x.com/2/problems/unsupported-authentication',
    });

    await openStream();
    await openStream();
    const third = await fetch(`${emulator.url}/2/activity/stream`, {
      headers: { authorization: `Bearer ${DEFAULT_BEARER}` },
    });
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: 'https://api.twitter.com/2/problems/streaming-connection',
    });
    // Another app has connections of its own.
    expect((await openStream('', 'other-app-bearer')).res.status).toBe(200);
    expect(emulator.activity.connections.map((c) => c.appId)).toEqual([
      DEFAULT_CLIENT_ID,
      DEFAULT_CLIENT_ID,
      'other-app',
    ]);
  });

  it('validates the replay window', async () => {
    for (const query of [
      '?backfill_minutes=0',
      '?backfill_minutes=6',
      '?backfill_minutes=two',
      '?start_time=2026-11-28T11:54:59Z',
      '?start_time=2026-11-28T12:00:01Z',
      '?start_time=yesterday',
      '?backfill_minutes=2&start_time=2026-11-28T11:59:00Z',
      '?start_time=2026-11-28T11:59:00Z&end_time=2026-11-28T11:58:00Z',
      '?since_id=1',
    ]) {
      const res = await fetch(`${emulator.url}/2/activity/stream${query}`, {
        headers: { authorization: `Bearer ${DEFAULT_BEARER}` },
      });
      expect([query, res.status]).toEqual([query, 400]);
    }
    expect(emulator.activity.connections).toEqual([]);
  });

  it('replays a past window and then ends the answer; a future end_time ends it once passed', async () => {
    await subscribe(followsOf(star));
    emulator.world.follow(fan.id, star.id);
    clock.advance(2 * 60_000);
    emulator.world.unfollow(fan.id, star.id);
    emulator.world.follow(emulator.world.addUser({ username: 'late' }).id, star.id);
    clock.advance(60_000);

    const past = await openStream('?start_time=2026-11-28T12:00:00Z&end_time=2026-11-28T12:01:00Z');
    await waitFor(() => expect(past.ended()).toBe(true));
    expect(past.objects()).toHaveLength(1);
    expect(emulator.activity.connections).toEqual([]);

    const future = await openStream('?backfill_minutes=5&end_time=2026-11-28T12:04:00Z');
    await waitFor(() => expect(future.objects()).toHaveLength(2));
    clock.advance(60_000);
    await waitFor(() => expect(future.ended()).toBe(true));
    expect(future.objects()).toHaveLength(2);
  });

  it('bills each event delivered once per UTC day, a replay after midnight again', async () => {
    clock.set(Date.parse('2026-11-28T23:58:00Z'));
    await subscribe(followsOf(star));
    const first = await openStream();
    const second = await openStream();
    emulator.world.follow(fan.id, star.id);
    await waitFor(() => expect(second.objects()).toHaveLength(1));
    await waitFor(() => expect(first.objects()).toHaveLength(1));
    expect(emulator.billing.day()).toMatchObject({ billableEvents: 1, usd: 0.01 });
    expect(emulator.billing.eventsDelivered).toBe(2);
    await first.close();

    clock.set(Date.parse('2026-11-29T00:01:00Z'));
    const replay = await openStream('?backfill_minutes=5');
    await waitFor(() => expect(replay.objects()).toHaveLength(1));
    expect(emulator.billing.day()).toMatchObject({ day: '2026-11-29', billableEvents: 1, usd: 0.01 });
    expect(emulator.billing.day('2026-11-28').billableEvents).toBe(1);
  });

  it('keeps an hour of events for replay', async () => {
    await subscribe(followsOf(star));
    await subscribe({ ...followsOf(star), event_type: 'follow.unfollow' });
    emulator.world.follow(fan.id, star.id);
    clock.advance(61 * 60_000);
    emulator.world.unfollow(fan.id, star.id);
    expect(emulator.activity.events.map((e) => e.body.data.event_type)).toEqual(['follow.unfollow']);
  });

  it('refuses every activity endpoint on a plan without it', async () => {
    emulator.removeActivityApi();
    for (const res of [
      await subscribe(followsOf(star)),
      await call('GET', '/2/activity/subscriptions'),
      await call('DELETE', '/2/activity/subscriptions/1'),
      await fetch(`${emulator.url}/2/activity/stream`, {
        headers: { authorization: `Bearer ${DEFAULT_BEARER}` },
      }),
    ]) {
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ reason: 'client-not-enrolled' });
    }
  });

  it('turns the standalone emulator’s new followers into events', async () => {
    const { star: demo } = seedDemo(emulator, 5);
    await subscribe(followsOf(demo));
    const stream = await openStream();
    const stop = startNewFollowers(emulator, demo, 20);
    try {
      await waitFor(() => expect(stream.objects().length).toBeGreaterThanOrEqual(2));
    } finally {
      stop();
    }
    expect(stream.objects()[0]?.data?.payload).toMatchObject({
      source: { data: { username: 'newfan_0' } },
      target: { data: { username: 'flockdemo' } },
    });
  });
});
