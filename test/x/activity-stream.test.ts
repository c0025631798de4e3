import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogContext, Logger } from '../../src/log.js';
import {
  type FollowActivity,
  type StreamItem,
  XInvalidRequestError,
  XLimitReachedError,
  XNotEnrolledError,
  XRateLimitedError,
  XUnavailableError,
} from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID, type XEmulatorOptions } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
const watchers: Watcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
  await x.close();
});

const KEEP_ALIVE_MS = 60;

async function start(emulator: XEmulatorOptions = {}, client: { log?: Logger } = {}) {
  x = await startXHarness({
    emulator: { ...emulator, activity: { keepAliveMs: KEEP_ALIVE_MS, ...emulator.activity } },
    client,
  });
  const world = x.emulator.world;
  const star = world.addUser({ username: 'star', name: 'Star', tweetCount: 12, description: 'Shines' });
  const fan = world.addUser({ username: 'fan', name: 'Fan 🦋 Ünïcode', tweetCount: 3, verified: true });
  return { world, star, fan };
}

async function subscribe(user: EmuUser, tag?: string) {
  for (const eventType of ['follow.follow', 'follow.unfollow'] as const)
    await x.client.createActivitySubscription({ eventType, userId: user.id, ...(tag ? { tag } : {}) });
}

interface Watcher {
  items: StreamItem[];
  events(): FollowActivity[];
  keepAlives(): number;
  error: unknown;
  ended: boolean;
  stop(): Promise<void>;
}

/** Reads the stream in the background until stopped, keeping what arrives. */
function watch(opts: { backfillMinutes?: number; startTime?: number } = {}): Watcher {
  const controller = new AbortController();
  const watcher: Watcher = {
    items: [],
    events: () => watcher.items.flatMap((i) => (i.kind === 'event' ? [i.event] : [])),
    keepAlives: () => watcher.items.filter((i) => i.kind === 'keep-alive').length,
    error: undefined,
    ended: false,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
  const done = (async () => {
    try {
      for await (const item of x.client.activityStream({ ...opts, signal: controller.signal }))
        watcher.items.push(item);
    } catch (error) {
      watcher.error = error;
    } finally {
      watcher.ended = true;
    }
  })();
  watchers.push(watcher);
  return watcher;
}

const connected = (n = 1) =>
  vi.waitFor(() => expect(x.emulator.activity.connections).toHaveLength(n), { timeout: 3000, interval: 5 });
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 5 });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the activity stream', () => {
  it('delivers follows and unfollows of a subscribed account with both profiles', async () => {
    const { world, star, fan } = await start({ settings: { postCountField: 'post_count' } });
    const locked = world.addUser({ username: 'locked', protected: true });
    const idol = world.addUser({ username: 'idol' });
    await subscribe(star, 'flock');
    await subscribe(locked);
    const w = watch();
    await connected();

    world.follow(fan.id, locked.id); // protected accounts deliver nothing
    world.follow(fan.id, idol.id); // nobody subscribed to either
    world.follow(fan.id, star.id);
    world.unfollow(fan.id, star.id);
    world.follow(star.id, idol.id);
    await waitFor(() => expect(w.events()).toHaveLength(3));

    const [followed, unfollowed, followsOut] = w.events();
    expect(followed).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'follow.follow',
      filterUserId: star.id,
      tag: 'flock',
      source: {
        id: fan.id,
        username: 'fan',
        name: 'Fan 🦋 Ünïcode',
        description: '',
        profile_image_url: fan.profileImageUrl,
        protected: false,
        verified: true,
        public_metrics: {
          followers_count: 0,
          following_count: 3,
          tweet_count: 3,
          listed_count: 0,
          like_count: 0,
          media_count: 0,
        },
      },
      target: expect.objectContaining({ id: star.id, description: 'Shines' }),
      sourceGone: false,
    });
    expect(followed?.target.public_metrics).toMatchObject({ followers_count: 1, tweet_count: 12 });
    expect(unfollowed).toMatchObject({
      type: 'follow.unfollow',
      source: { id: fan.id },
      target: { id: star.id },
    });
    expect(followsOut).toMatchObject({
      type: 'follow.follow',
      source: { id: star.id },
      target: { id: idol.id },
    });
    await pause(KEEP_ALIVE_MS * 2);
    expect(w.events()).toHaveLength(3);
    expect(w.error).toBeUndefined();
  });

  it('reads a follower who left X as an unfollow from a bare id, named by the id', async () => {
    const { world, star, fan } = await start();
    const other = world.addUser({ username: 'other' });
    await subscribe(star, 'flock');
    world.follow(fan.id, star.id);
    world.follow(other.id, star.id);
    const w = watch();
    await connected();

    world.setState(fan.id, 'suspended');
    world.setState(other.id, 'deactivated');
    await waitFor(() => expect(w.events()).toHaveLength(2));
    const [suspended, deactivated] = w.events();
    expect(suspended).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'follow.unfollow',
      filterUserId: star.id,
      tag: 'flock',
      source: { id: fan.id, username: fan.id, name: fan.id },
      target: expect.objectContaining({ id: star.id, username: 'star', name: 'Star' }),
      sourceGone: true,
    });
    expect(deactivated).toMatchObject({ source: { id: other.id, username: other.id }, sourceGone: true });
    expect(w.error).toBeUndefined();
  });

  it('hears nothing of a follower who left X when the emulator reads X as silent about it', async () => {
    const { world, star, fan } = await start({ activity: { goneFollowers: 'silent' } });
    const other = world.addUser({ username: 'other' });
    await subscribe(star);
    world.follow(fan.id, star.id);
    const w = watch();
    await connected();

    world.setState(fan.id, 'suspended');
    world.follow(other.id, star.id); // the stream still carries everything else
    await waitFor(() => expect(w.events()).toHaveLength(1));
    await pause(KEEP_ALIVE_MS * 2);
    expect(w.events()).toMatchObject([
      { type: 'follow.follow', source: { id: other.id }, sourceGone: false },
    ]);
  });

  it('turns each blank line into a keep-alive', async () => {
    await start();
    const w = watch();
    await waitFor(() => expect(w.keepAlives()).toBeGreaterThanOrEqual(3));
    expect(w.events()).toEqual([]);
  });

  it('refuses a third connection as limit-reached, and lets one in once another closes', async () => {
    await start();
    const first = watch();
    watch();
    await connected(2);
    const third = x.client.activityStream({ signal: new AbortController().signal });
    const refused = await third.next().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(XLimitReachedError);
    expect((refused as XLimitReachedError).limit).toBe('connections');

    await first.stop();
    expect(first.error).toBeUndefined();
    await connected(1);
    watch();
    await connected(2);
    expect(x.emulator.requests('GET /2/activity/stream').map((r) => r.status)).toEqual([200, 200, 429, 200]);
  });

  it('refuses without sending when the plan lacks it or the bucket is known to be empty', async () => {
    await start();
    x.emulator.removeActivityApi();
    const signal = new AbortController().signal;
    await expect(x.client.activityStream({ signal }).next()).rejects.toBeInstanceOf(XNotEnrolledError);
    x.emulator.settings.notEnrolled.clear();
    x.emulator.limiter.exhaust('GET /2/activity/stream', `app:${DEFAULT_CLIENT_ID}`);
    await expect(x.client.activityStream({ signal }).next()).rejects.toBeInstanceOf(XRateLimitedError);
    const local = await x.client
      .activityStream({ signal })
      .next()
      .catch((e: unknown) => e);
    expect((local as XRateLimitedError).local).toBe(true);
    expect(x.emulator.requests('GET /2/activity/stream').map((r) => r.status)).toEqual([403, 429]);
  });

  it('replays what it missed, from backfill_minutes or start_time, before live events', async () => {
    const { world, star, fan } = await start();
    const others = world.addUsers(3, 'o');
    await subscribe(star);
    world.follow(fan.id, star.id); // 7 minutes before the stream opens
    x.clock.advance(4 * 60_000);
    const missed = x.clock.now();
    world.follow(others[0]?.id ?? '', star.id); // 3 minutes before
    x.clock.advance(3 * 60_000);

    const w = watch({ backfillMinutes: 5 });
    await waitFor(() => expect(w.events()).toHaveLength(1));
    expect(w.events()[0]?.source.id).toBe(others[0]?.id);
    world.follow(others[1]?.id ?? '', star.id);
    await waitFor(() => expect(w.events().map((e) => e.source.id)).toEqual([others[0]?.id, others[1]?.id]));
    await w.stop();

    const fromTime = watch({ startTime: missed + 1000 });
    await waitFor(() => expect(fromTime.events().map((e) => e.source.id)).toEqual([others[1]?.id]));
    // Whole seconds on the wire, rounded down: the event at `missed` is replayed too.
    const again = watch({ startTime: missed + 999 });
    await waitFor(() =>
      expect(again.events().map((e) => e.source.id)).toEqual([others[0]?.id, others[1]?.id]),
    );
  });

  it('refuses a replay longer than X keeps', async () => {
    await start();
    const signal = new AbortController().signal;
    await expect(x.client.activityStream({ backfillMinutes: 6, signal }).next()).rejects.toBeInstanceOf(
      XInvalidRequestError,
    );
    await expect(
      x.client.activityStream({ startTime: x.clock.now() - 6 * 60_000, signal }).next(),
    ).rejects.toBeInstanceOf(XInvalidRequestError);
    expect(x.emulator.requests('GET /2/activity/stream').map((r) => r.status)).toEqual([400, 400]);
    await expect(x.client.activityStream({ backfillMinutes: 1.5, signal }).next()).rejects.toBeInstanceOf(
      XInvalidRequestError,
    );
    expect(x.emulator.requests('GET /2/activity/stream')).toHaveLength(2);
  });

  it('ends with an error when the connection is cut, and quietly on a clean end or an abort', async () => {
    await start();
    const cut = watch();
    await connected();
    x.emulator.activity.dropStreams('reset');
    await waitFor(() => expect(cut.ended).toBe(true));
    expect(cut.error).toBeInstanceOf(XUnavailableError);

    const ended = watch();
    await connected();
    x.emulator.activity.dropStreams('end');
    await waitFor(() => expect(ended.ended).toBe(true));
    expect(ended.error).toBeUndefined();

    const aborted = watch();
    await connected();
    await aborted.stop();
    expect(aborted.error).toBeUndefined();
    await connected(0);
  });

  it('shows a stalled stream as silence, with the connection still open', async () => {
    const { world, star, fan } = await start();
    await subscribe(star);
    const w = watch();
    await waitFor(() => expect(w.keepAlives()).toBeGreaterThanOrEqual(1));
    x.emulator.activity.stallStreams();
    const seen = w.items.length;
    world.follow(fan.id, star.id);
    await pause(KEEP_ALIVE_MS * 5);
    expect(w.items).toHaveLength(seen);
    expect(w.ended).toBe(false);
    expect(x.emulator.activity.connections).toMatchObject([{ stalled: true }]);
  });

  it('passes a repeated event on twice; X and the cost meter bill it once', async () => {
    const { world, star, fan } = await start();
    await subscribe(star);
    const w = watch();
    await connected();
    x.emulator.activity.duplicateNextEvents();
    world.follow(fan.id, star.id);
    world.unfollow(fan.id, star.id);
    await waitFor(() => expect(w.events()).toHaveLength(3));
    const uuids = w.events().map((e) => e.uuid);
    expect(uuids[0]).toBe(uuids[1]);
    expect(uuids[2]).not.toBe(uuids[0]);

    // The stream itself bills nothing on Flock's side: the consumer records what it delivered.
    expect(x.costMeter.today().billableEvents).toBe(0);
    expect(x.client.billEvents(uuids)).toBe(2);
    expect(x.costMeter.today()).toEqual(x.emulator.billing.day());
    expect(x.costMeter.today()).toMatchObject({ billableEvents: 2, usd: 0.02 });
    expect(x.emulator.billing.eventsDelivered).toBe(3);
  });

  it('reads lines split across reads and several lines in one read', async () => {
    const { world, star, fan } = await start({ activity: { writeChunkBytes: 7 } });
    const others = world.addUsers(2, 'o');
    await subscribe(star);
    for (const user of [fan, ...others]) world.follow(user.id, star.id);
    // The replay is one write of three lines, cut into 7-byte pieces (splitting the emoji too).
    const w = watch({ backfillMinutes: 1 });
    await waitFor(() => expect(w.events()).toHaveLength(3));
    expect(w.events().map((e) => e.source.name)).toEqual(['Fan 🦋 Ünïcode', 'o 0', 'o 1']);
    await waitFor(() => expect(w.keepAlives()).toBeGreaterThanOrEqual(1));
  });

  it('skips malformed lines and objects that are not follow events, and carries on', async () => {
    const debug: { message: string; context?: LogContext }[] = [];
    const log: Logger = {
      debug: (message, context) => debug.push({ message, context }),
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      child: () => log,
    };
    const { world, star, fan } = await start({}, { log });
    await subscribe(star);
    const w = watch();
    await connected();
    x.emulator.activity.sendRaw('{"data":{"event_uuid":"x"\r\n');
    x.emulator.activity.sendRaw('{"errors":[{"title":"operational-disconnect"}]}\r\n');
    world.follow(fan.id, star.id);
    await waitFor(() => expect(w.events()).toHaveLength(1));
    expect(debug.map((d) => d.message)).toEqual([
      'skipping a malformed line on the activity stream',
      'skipping an activity stream object that is not a follow event',
    ]);
    expect(w.error).toBeUndefined();
  });
});
