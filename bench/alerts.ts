/**
 * One simulated day of follower alerts (2026-11-28 on the X emulator's clock: 50 tracked accounts
 * of 1,000 to 10,000 followers, 2,000 follows and 300 unfollows, two in three unfollows by
 * followers gained that day) through three set-ups side by side, each on its own copy of the
 * same world and day:
 *   - a naive poller: the first 1,000 followers of every account every 5 minutes, diffed;
 *   - Flock polling: `createAlerts` with source 'poll', ticked every 60 s of simulated time;
 *   - Flock with X's Activity stream: source 'auto', ticked every 5 minutes of simulated time
 *     (the stream is real HTTP: the day's events arrive as fast as the day is simulated).
 * The accounts are tracked in the minute before the day (the pollers' first reads; for the
 * stream, the baseline poll and then the subscriptions), so the figures are those of an
 * ordinary day; that set-up is printed apart.
 *
 * Printed for each: billed units per alert (users read plus Activity events delivered, billed
 * for the day, per follower named; the floor is 1.0), X requests during the day, unfollows named
 * against unfollows counted (the poller counts losses it cannot name), new followers named, and
 * the p50/p99 delay from the follow or unfollow to the Discord message (the `send` call).
 * The pollers' delays are simulated time: the emulator's clock at the change against Flock's at
 * the send (the naive poller sends nothing: to the poll that finds it). Delivery keeps Discord's
 * channel pace on the wall clock, which a simulated day outruns, so the poller's simulated clock
 * waits while delivery holds messages back. X delivers stream events in real time, so the stream's
 * delay is real time: after the day the clock keeps wall-clock pace, `schedule.start()` ticks
 * every second as in production, and a sample of follows and unfollows (the day's mix) is made
 * over a window of wall time. The stream set-up also runs the day with twice the accounts, to
 * show that its requests do not grow with them. Last, the stream's figures against its goals.
 * About 8 minutes with the defaults.
 *
 *   npm run bench:alerts                  (seed 1)
 *   npm run bench:alerts -- --seed 7 --accounts 50 --follows 2000 --unfollows 300 --sample 300 --window 60
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AccountStates } from '../src/alerts/account-state.js';
import { createAlerts } from '../src/alerts/create-alerts.js';
import { Outbox, type OutboxEntry } from '../src/alerts/outbox.js';
import type { AlertSchedule } from '../src/alerts/schedule.js';
import { Subscriptions } from '../src/alerts/subscriptions.js';
import type { AlertsSource } from '../src/config.js';
import { LocalLocks } from '../src/coordination/locks.js';
import type { Logger } from '../src/log.js';
import { openStore } from '../src/store/open-store.js';
import { CostMeter, createXClient, RateLimits } from '../src/x/index.js';
import {
  Announcements,
  apply,
  buildWorld,
  DAY,
  DAY_MS,
  DAY_START,
  type DaySize,
  DEFAULT_BEARER,
  percentile,
  plan,
  random,
  simulateDay,
  type World,
} from './alerts-day.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    accounts: { type: 'string', default: '50' },
    follows: { type: 'string', default: '2000' },
    unfollows: { type: 'string', default: '300' },
    /** Changes made in the stream's real-time window, and its length in seconds. */
    sample: { type: 'string', default: '300' },
    window: { type: 'string', default: '60' },
  },
});
const SEED = Number(values.seed);
const SIZE: DaySize = {
  accounts: Number(values.accounts),
  follows: Number(values.follows),
  unfollows: Number(values.unfollows),
};
const SAMPLE = Number(values.sample);
const WINDOW_MS = Number(values.window) * 1000;
const EVENTS = SIZE.follows + SIZE.unfollows;
const CHANGES = plan(random(SEED + 2), SIZE, DAY_START, DAY_MS);
/** The minute before the day, when the accounts are tracked. */
const SETUP_AT = DAY_START - 60_000;
const SETUP_DAY = new Date(SETUP_AT).toISOString().slice(0, 10);
const NAIVE_EVERY_MS = 5 * 60_000;
/** The pollers go on 10 minutes past midnight, to find the day's last changes (billed the next day). */
const POLLER_STEPS = { stepMs: 60_000, afterMs: 10 * 60_000 };
/** The stream's day is timed by the stream, not by ticks: these only turn its events into messages. */
const STREAM_STEPS = { stepMs: 5 * 60_000, afterMs: 0 };

interface Result {
  name: string;
  /** Users read plus events delivered, billed for the day. */
  billed: number;
  requests: number;
  named: { new: number; lost: number };
  /** Unfollows counted, named or not. */
  lostCounted: number;
  delays: readonly number[];
  setup: { requests: number; billed: number };
}

const inDay = (at: number) => at >= DAY_START && at < DAY_START + DAY_MS;
const billedOn = (world: World, day: string) => {
  const d = world.emulator.billing.day(day);
  return d.billableUsers + d.billableEvents;
};
const summary = (
  world: World,
  name: string,
  seen: Announcements,
  unnamed: number,
  setupRequests: number,
) => ({
  name,
  billed: billedOn(world, DAY),
  requests: world.emulator.requests().filter((r) => inDay(r.at)).length,
  named: { ...seen.named },
  lostCounted: seen.named.lost + unnamed,
  delays: seen.delays,
  setup: { requests: setupRequests, billed: billedOn(world, SETUP_DAY) },
});

/** Every poll: the first 1,000 followers, compared with the previous poll's. */
async function runNaive(): Promise<Result> {
  const world = await buildWorld(SEED, SIZE.accounts);
  const { clock, emulator } = world;
  const x = createXClient({ apiUrl: emulator.url, bearerToken: DEFAULT_BEARER, clock });
  const seen = new Announcements(world, (h) => clock.now() - h.at);
  const previous = new Map<string, string[]>();
  const poll = async (id: string) => {
    const page = await x.followers(id, {
      maxResults: 1000,
      userFields: ['description', 'profile_image_url', 'public_metrics'],
    });
    const ids = page.users.map((u) => u.id);
    const before = previous.get(id);
    previous.set(id, ids);
    if (!before) return;
    const known = new Set(before);
    // New followers come first; an unknown id below the first known one moved up from below the window.
    const top = ids.findIndex((f) => known.has(f));
    const fresh = ids.slice(0, top < 0 ? ids.length : top);
    seen.add('new', fresh.length, fresh);
    // Only drops from above the last follower still in the window are unfollows; the bottom edge just shifts.
    const now = new Set(ids);
    const cut = before.indexOf(ids.at(-1) ?? '');
    const lost = before.slice(0, cut < 0 ? before.length : cut).filter((f) => !now.has(f));
    seen.add('lost', lost.length, lost);
  };
  clock.set(SETUP_AT);
  for (const id of world.accounts) await poll(id);
  const setupRequests = emulator.requests().length;
  const nextPoll = world.accounts.map((_, a) => DAY_START + Math.floor((a * NAIVE_EVERY_MS) / SIZE.accounts));
  await simulateDay(world, CHANGES, POLLER_STEPS, async (now) => {
    for (const [a, id] of world.accounts.entries()) {
      if ((nextPoll[a] ?? 0) > now) continue;
      nextPoll[a] = now + NAIVE_EVERY_MS;
      await poll(id);
    }
  });
  await emulator.close();
  return summary(world, 'naive poller (first 1,000 / 5 min)', seen, 0, setupRequests);
}

/** An outbox that knows how many messages it holds. */
class HeldOutbox extends Outbox {
  held = 0;

  override async add(entries: OutboxEntry[]): Promise<number> {
    const added = await super.add(entries);
    this.held += added;
    return added;
  }

  override async markSent(channelId: string, id: string): Promise<void> {
    await super.markSent(channelId, id);
    this.held -= 1;
  }
}

/** Keeps Flock's warnings and errors, so that a run that went wrong says so. */
function troubleLogger(trouble: string[]): Logger {
  const keep = (message: string) => void trouble.push(message);
  const log: Logger = { debug: () => {}, info: () => {}, warn: keep, error: keep, child: () => log };
  return log;
}

interface Sample {
  delays: readonly number[];
  alerts: number;
  made: number;
  billed: number;
}

interface FlockRun {
  result: Result;
  streamed: number;
  trouble: string[];
  /** The stream's real-time window, when asked for. */
  sample: Sample | undefined;
}

async function runFlock(source: AlertsSource, accounts: number, withSample: boolean): Promise<FlockRun> {
  const world = await buildWorld(SEED, accounts);
  const { clock, emulator } = world;
  const dir = mkdtempSync(join(tmpdir(), 'flock-bench-alerts-'));
  const store = await openStore(`sqlite://${join(dir, 'bench.sqlite')}`);
  const x = createXClient({
    apiUrl: emulator.url,
    bearerToken: DEFAULT_BEARER,
    clock,
    costMeter: new CostMeter(clock),
    rateLimits: new RateLimits(clock),
  });
  const locks = new LocalLocks();
  const subscriptions = new Subscriptions(store, locks);
  const states = new AccountStates(store, locks);
  for (const [a, id] of world.accounts.entries())
    await subscriptions.add(
      {
        guildId: '1',
        channelId: String(100 + a),
        account: { id, username: `tracked${a}`, name: `tracked${a}` },
        events: 'both',
        roleId: undefined,
        minFollowers: 0,
        createdBy: '1',
        createdAt: SETUP_AT,
        paused: undefined,
      },
      Number.POSITIVE_INFINITY,
    );
  const outbox = new HeldOutbox(store, locks);
  const trouble: string[] = [];
  const day = new Announcements(world, (h) => clock.now() - h.at);
  let seen = day;
  const schedule = createAlerts({
    x,
    clock,
    log: troubleLogger(trouble),
    store,
    subscriptions,
    states,
    outbox,
    config: { intervalSeconds: 60, maxPerGuild: 25, scanMaxFollowers: 200, source },
    locks,
    tag: 'flock:bench',
    withLinkedToken: async () => undefined,
    send: async (_channelId, body) => seen.message(body),
    notifyGuild: async () => {},
  });

  // The first tick records where each list stands; the next subscription step, 5 s later,
  // subscribes the accounts to the stream.
  clock.set(SETUP_AT);
  await schedule.tick();
  clock.set(SETUP_AT + 5_000);
  await schedule.tick();
  schedule.stream?.start();
  for (let i = 0; schedule.stream && schedule.stream.status.state !== 'connected' && i < 400; i++)
    await sleep(25);
  let streamed = 0;
  for (const id of world.accounts) if ((await states.get(id))?.source?.kind === 'stream') streamed += 1;
  const setupRequests = emulator.requests().length;

  const polled = source === 'poll';
  await simulateDay(world, CHANGES, polled ? POLLER_STEPS : STREAM_STEPS, async () => {
    await schedule.tick();
    // Discord's channel pace (5 messages per 5 s) is kept on the wall clock: the poller's day,
    // whose delays are timed on the simulated clock, waits for it.
    for (let waited = 0; polled && outbox.held > 0 && waited < 60_000; waited += 100) {
      await sleep(100);
      await schedule.tick();
    }
  });
  // Stream events still on their way, and messages waiting for Discord's channel pace.
  const made = () => world.applied.follows + world.applied.unfollows;
  for (let quiet = 0, last = -1; !polled && day.total < made() && quiet < 200; quiet++) {
    if (day.total !== last) quiet = 0;
    last = day.total;
    await schedule.tick();
    await sleep(50);
  }
  let unnamed = 0;
  for (const id of world.accounts) unnamed += (await states.get(id))?.unidentifiedLosses ?? 0;
  const name = polled ? 'Flock polling (source: poll)' : `Flock stream (source: ${source})`;
  const result = summary(world, name, day, unnamed, setupRequests);

  let sample: Sample | undefined;
  if (withSample) {
    seen = new Announcements(world, (h) => performance.now() - h.wall);
    sample = await sampleInRealTime(world, schedule, seen, accounts);
  }
  await stop(schedule, world);
  await store.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  return { result, streamed, trouble, sample };
}

/**
 * From midnight after the day, the clock keeps wall-clock pace and the schedule ticks every
 * second; `SAMPLE` changes (the day's mix) are made over `WINDOW_MS` of wall time.
 */
async function sampleInRealTime(
  world: World,
  schedule: AlertSchedule,
  seen: Announcements,
  accounts: number,
): Promise<Sample> {
  const before = world.applied.follows + world.applied.unfollows;
  // The day's last messages, sent in a hurry, leave Discord's channel pace (5 per 5 s) first.
  await sleep(5_000);
  world.clock.set(DAY_START + DAY_MS);
  world.clock.runInRealTime();
  schedule.start();
  const share = SAMPLE / EVENTS;
  const changes = plan(
    random(SEED + 3),
    { accounts, follows: Math.round(SIZE.follows * share), unfollows: Math.round(SIZE.unfollows * share) },
    0,
    WINDOW_MS,
  );
  const started = performance.now();
  for (const change of changes) {
    const wait = started + change.at - performance.now();
    if (wait > 0) await sleep(wait);
    apply(world, change);
  }
  const made = world.applied.follows + world.applied.unfollows - before;
  for (let waited = 0; seen.total < made && waited < 30_000; waited += 50) await sleep(50);
  return {
    delays: seen.delays,
    alerts: seen.total,
    made,
    billed: billedOn(world, new Date(DAY_START + DAY_MS).toISOString().slice(0, 10)),
  };
}

/**
 * Stops the schedule, and cuts the stream at X's end as well: on Node 20, aborting a stream that
 * has been open a while may never reach its connection (ky hands fetch an AbortSignal.any()
 * that the garbage collector can take), and the stream then runs on with X's keep-alives.
 */
async function stop(schedule: AlertSchedule, world: World): Promise<void> {
  const stopped = schedule.stop();
  world.emulator.activity.dropStreams();
  await stopped;
}

const started = performance.now();
const took: string[] = [];
async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const from = performance.now();
  const result = await run();
  took.push(`${name} ${((performance.now() - from) / 1000).toFixed(0)} s`);
  return result;
}
const naive = await timed('naive', runNaive);
const polling = await timed('polling', () => runFlock('poll', SIZE.accounts, false));
const stream = await timed('stream', () => runFlock('auto', SIZE.accounts, true));
const doubled = await timed(`stream with ${SIZE.accounts * 2} accounts`, () =>
  runFlock('auto', SIZE.accounts * 2, false),
);

const seconds = (ms: number) =>
  Number.isNaN(ms) ? '–' : ms < 60_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 60_000).toFixed(1)} min`;
const alerts = (r: Pick<Result, 'named'>) => r.named.new + r.named.lost;
const perAlert = (r: Pick<Result, 'billed' | 'named'>) => r.billed / Math.max(1, alerts(r));
const cells = (...c: [string, number][]) => c.map(([text, width]) => text.padStart(width)).join('');
const row = (name: string, figures: string[], delays: readonly number[], note: string) =>
  `  ${name.padEnd(36)}${cells(
    ...figures.map((f, i): [string, number] => [f, [7, 10, 9, 13, 8][i] ?? 8]),
    [seconds(percentile(delays, 50)), 10],
    [seconds(percentile(delays, 99)), 10],
  )}  ${note}`;
const figures = (r: Result) => [
  perAlert(r).toFixed(2),
  String(r.requests),
  (r.requests / SIZE.accounts).toFixed(1),
  `${r.named.lost} / ${r.lostCounted}`,
  String(r.named.new),
];

const s = stream.result;
const sample = stream.sample;
const d = doubled.result;
console.log(
  `A simulated day (${DAY}): ${SIZE.accounts} tracked accounts of 1,000–10,000 followers, ${SIZE.follows} follows, ${SIZE.unfollows} unfollows (seed ${SEED}).`,
);
console.log(
  'Units per alert: users read + Activity events delivered, billed for the day, per follower named (floor 1.00).',
);
console.log(
  `\n  ${''.padEnd(36)}${cells(['units/', 7], ['requests', 10], ['per', 9], ['unfollows', 13], ['new', 8], ['delay', 10], ['delay', 10])}`,
);
console.log(
  `  ${'set-up'.padEnd(36)}${cells(['alert', 7], ['per day', 10], ['account', 9], ['named/count', 13], ['named', 8], ['p50', 10], ['p99', 10])}  delay measured`,
);
console.log(row(naive.name, figures(naive), naive.delays, 'simulated, to the poll that finds it (a)'));
console.log(
  row(polling.result.name, figures(polling.result), polling.result.delays, 'simulated, to the send (a)'),
);
console.log(row(s.name, figures(s), sample?.delays ?? [], 'real time, to the send (b)'));
console.log(
  row(
    'floor (one read per event)',
    [
      '1.00',
      String(EVENTS),
      (EVENTS / SIZE.accounts).toFixed(1),
      `${SIZE.unfollows} / ${SIZE.unfollows}`,
      String(SIZE.follows),
    ],
    [],
    '',
  ),
);
console.log(
  `  (a) emulator clock at the change vs. at the send (or poll); ticks every 60 s of simulated time, and the clock waits while Discord's channel pace holds messages.`,
);
console.log(
  `  (b) wall clock, change to send, for ${sample?.made ?? 0} changes made over ${WINDOW_MS / 1000} s of wall time after the day, with schedule.start() ticking every 1 s as in production (${sample?.delays.length ?? 0} timed).`,
);

const p99 = percentile(sample?.delays ?? [], 99);
const goal = (figure: string, wanted: string, met: boolean) =>
  console.log(`  ${figure.padEnd(84)}goal ${wanted}: ${met ? 'met' : 'NOT MET'}`);
const windowUnits = sample ? (sample.billed / Math.max(1, sample.alerts)).toFixed(2) : '–';
console.log(
  `\nFlock with the stream, against its goals (${stream.streamed} of ${SIZE.accounts} accounts streamed):`,
);
goal(
  `${perAlert(s).toFixed(2)} billed units per alert (${s.billed} for ${alerts(s)} alerts; ${windowUnits} in the window)`,
  '1.0',
  perAlert(s) < 1.005,
);
goal(
  `${s.named.lost} of ${SIZE.unfollows} unfollows named, ${s.lostCounted - s.named.lost} counted unnamed`,
  'every one named',
  s.named.lost === SIZE.unfollows && s.lostCounted === s.named.lost,
);
goal(
  `${s.requests} requests in the day with ${SIZE.accounts} accounts, ${d.requests} with ${SIZE.accounts * 2} (${alerts(d)} alerts)`,
  'independent of accounts',
  d.requests <= s.requests,
);
goal(
  `p99 delay ${seconds(p99)} in real time (p50 ${seconds(percentile(sample?.delays ?? [], 50))})`,
  'under 5 s',
  p99 < 5_000,
);

console.log('\nSet-up in the minute before the day (once per tracked account; not in the figures above):');
for (const [r, n] of [
  [naive, SIZE.accounts],
  [polling.result, SIZE.accounts],
  [s, SIZE.accounts],
  [d, SIZE.accounts * 2],
] as const)
  console.log(
    `  ${r.name.padEnd(36)}${String(r.setup.requests).padStart(6)} requests, ${String(r.setup.billed).padStart(6)} billed units for ${n} accounts`,
  );
const trouble = [...polling.trouble, ...stream.trouble, ...doubled.trouble];
if (trouble.length)
  console.log(`\nFlock logged ${trouble.length} warnings or errors: ${[...new Set(trouble)].join('; ')}.`);
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s (${took.join(', ')}).`);
