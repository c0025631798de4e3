/**
 * A simulated day of follower alerts on the X emulator's clock: 50 tracked accounts, 2,000
 * follows and 300 unfollows spread over the day (two in three unfollows by followers gained that
 * day, the churn that follow alerts mostly see; tracked accounts have 1,000 to 10,000
 * followers). Prints X requests and billable reads per
 * detected event for Flock's poller, for a naive poller (the first 1,000 followers of every
 * account at every poll), and for the floor (one read per event).
 *
 *   npm run bench:alerts                  (seed 1)
 *   npm run bench:alerts -- --seed 7 --accounts 50 --follows 2000 --unfollows 300
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AccountStates } from '../src/alerts/account-state.js';
import { Outbox } from '../src/alerts/outbox.js';
import { AlertPoller } from '../src/alerts/poller.js';
import { Subscriptions } from '../src/alerts/subscriptions.js';
import { silentLogger } from '../src/log.js';
import { openStore } from '../src/store/open-store.js';
import { CostMeter, createXClient, RateLimits } from '../src/x/index.js';
import { DEFAULT_BEARER, startXEmulator, type XEmulator } from '../test/emulators/x/server.js';
import { ManualClock } from '../test/support/manual-clock.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    accounts: { type: 'string', default: '50' },
    follows: { type: 'string', default: '2000' },
    unfollows: { type: 'string', default: '300' },
  },
});
const ACCOUNTS = Number(values.accounts);
const FOLLOWS = Number(values.follows);
const UNFOLLOWS = Number(values.unfollows);
const DAY_START = Date.parse('2026-11-28T00:00:00Z');
const DAY_MS = 24 * 60 * 60_000;
const STEP_MS = 60_000;

/** A small deterministic generator, so every poller sees the same day. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Change {
  at: number;
  kind: 'follow' | 'unfollow';
  account: number;
}

function planDay(rand: () => number): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i < FOLLOWS; i++)
    changes.push({
      at: DAY_START + Math.floor(rand() * DAY_MS),
      kind: 'follow',
      account: Math.floor(rand() * ACCOUNTS),
    });
  // Unfollows come in the second half of the day, when there are followers of the day to lose.
  for (let i = 0; i < UNFOLLOWS; i++)
    changes.push({
      at: DAY_START + DAY_MS / 2 + Math.floor(rand() * (DAY_MS / 2 - 60_000)),
      kind: 'unfollow',
      account: Math.floor(rand() * ACCOUNTS),
    });
  return changes.sort((a, b) => a.at - b.at);
}

interface World {
  emulator: XEmulator;
  clock: ManualClock;
  accounts: string[];
  /** Per account: followers gained today, and followers from before. */
  today: string[][];
  older: string[][];
}

async function buildWorld(seed: number): Promise<World> {
  const clock = new ManualClock(DAY_START);
  const emulator = await startXEmulator({ clock });
  const rand = random(seed);
  const accounts: string[] = [];
  const older: string[][] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const account = emulator.world.addUser({ username: `tracked${a}` });
    // Accounts worth follower alerts: 1,000 to 10,000 followers, most of them at the small end.
    const size = 1000 + Math.floor(rand() * rand() * 9000);
    const fans = emulator.world.addUsers(size, `a${a}_old`);
    for (const [n, fan] of fans.entries()) emulator.world.follow(fan.id, account.id, DAY_START - DAY_MS + n);
    accounts.push(account.id);
    older.push(fans.map((f) => f.id));
  }
  return { emulator, clock, accounts, today: accounts.map(() => []), older };
}

function apply(
  world: World,
  change: Change,
  rand: () => number,
  counts: { follows: number; unfollows: number },
): void {
  const account = world.accounts[change.account] as string;
  if (change.kind === 'follow') {
    const [fan] = world.emulator.world.addUsers(1, `f${counts.follows}_`);
    if (!fan) return;
    world.emulator.world.follow(fan.id, account);
    world.today[change.account]?.push(fan.id);
    counts.follows += 1;
    return;
  }
  const recent = world.today[change.account] ?? [];
  const pool = rand() < 2 / 3 && recent.length ? recent : (world.older[change.account] ?? []);
  const index = Math.floor(rand() * pool.length);
  const [leaver] = pool.splice(index, 1);
  if (!leaver) return;
  world.emulator.world.unfollow(leaver, account);
  counts.unfollows += 1;
}

/** Steps through the day a minute at a time, applying the planned changes, then lets the poller run. */
async function simulateDay(world: World, seed: number, step: (now: number) => Promise<void>): Promise<void> {
  const rand = random(seed + 1);
  const counts = { follows: 0, unfollows: 0 };
  const changes = planDay(random(seed + 2));
  let next = 0;
  for (let now = DAY_START; now < DAY_START + DAY_MS; now += STEP_MS) {
    world.clock.set(now);
    while (next < changes.length && (changes[next]?.at ?? Number.POSITIVE_INFINITY) <= now) {
      apply(world, changes[next++] as Change, rand, counts);
    }
    await step(now);
  }
}

interface Result {
  name: string;
  requests: number;
  billable: number;
  newFound: number;
  lostFound: number;
}

async function runFlock(seed: number): Promise<Result & { unidentified: number }> {
  const world = await buildWorld(seed);
  const dir = mkdtempSync(join(tmpdir(), 'flock-bench-alerts-'));
  const store = await openStore(`sqlite://${join(dir, 'bench.sqlite')}`);
  const { clock, emulator } = world;
  const x = createXClient({
    apiUrl: emulator.url,
    bearerToken: DEFAULT_BEARER,
    clock,
    costMeter: new CostMeter(clock),
    rateLimits: new RateLimits(clock),
  });
  const subscriptions = new Subscriptions(store);
  const states = new AccountStates(store);
  let newFound = 0;
  let lostFound = 0;
  await subscriptions.update((list) => {
    for (const [a, id] of world.accounts.entries()) {
      list.push({
        guildId: '1',
        channelId: String(100 + a),
        account: { id, username: `tracked${a}`, name: `tracked${a}` },
        events: 'both',
        roleId: undefined,
        minFollowers: 0,
        createdBy: '1',
        createdAt: clock.now(),
        paused: undefined,
      });
    }
  });
  const poller = new AlertPoller({
    x,
    costMeter: x.costMeter,
    clock,
    log: silentLogger,
    subscriptions,
    states,
    outbox: new Outbox(store),
    send: async (_channel, body) => {
      const embeds = (body.embeds as unknown[]).length;
      const content = String(body.content);
      const total = Number(
        /has (\d+) new/.exec(content)?.[1] ?? /lost (\d+) follower/.exec(content)?.[1] ?? embeds,
      );
      if (content.includes(' new follower')) newFound += total;
      else lostFound += total;
    },
    notifyGuild: async () => {},
    intervalMs: 60_000,
    scanMaxFollowers: 200,
  });
  await simulateDay(world, seed, () => poller.tick());
  clock.set(DAY_START + DAY_MS - 1);
  await poller.tick();
  let unidentified = 0;
  for (const id of world.accounts) unidentified += (await states.get(id))?.unidentifiedLosses ?? 0;
  const result = {
    name: 'Flock',
    requests: emulator.requests().length,
    billable: emulator.billing.day('2026-11-28').billableUsers,
    newFound,
    lostFound,
    unidentified,
  };
  await store.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Every poll: the first 1,000 followers, compared with the previous poll's. */
async function runNaive(seed: number, pollEveryMs: number): Promise<Result> {
  const world = await buildWorld(seed);
  const { clock, emulator } = world;
  const x = createXClient({
    apiUrl: emulator.url,
    bearerToken: DEFAULT_BEARER,
    clock,
    rateLimits: new RateLimits(clock),
  });
  const previous = new Map<string, Set<string>>();
  const nextPoll = new Map(
    world.accounts.map((id, a) => [id, DAY_START + Math.floor((a * pollEveryMs) / ACCOUNTS)]),
  );
  let newFound = 0;
  let lostFound = 0;
  await simulateDay(world, seed, async (now) => {
    for (const id of world.accounts) {
      if ((nextPoll.get(id) ?? 0) > now) continue;
      nextPoll.set(id, now + pollEveryMs);
      const page = await x.followers(id, {
        maxResults: 1000,
        userFields: ['description', 'profile_image_url', 'public_metrics'],
      });
      const ids = new Set(page.users.map((u) => u.id));
      const before = previous.get(id);
      if (before) {
        for (const f of ids) if (!before.has(f)) newFound += 1;
        // Only drops from the middle of the window are unfollows; the bottom edge just shifts.
        const last = page.users.at(-1)?.id;
        const beforeList = [...before];
        const cut = last ? beforeList.indexOf(last) : beforeList.length;
        for (const f of beforeList.slice(0, cut < 0 ? beforeList.length : cut))
          if (!ids.has(f)) lostFound += 1;
      }
      previous.set(id, ids);
    }
  });
  const result = {
    name: 'naive (first 1,000 every poll)',
    requests: emulator.requests().length,
    billable: emulator.billing.day('2026-11-28').billableUsers,
    newFound,
    lostFound,
  };
  await emulator.close();
  return result;
}

const seed = Number(values.seed);
const started = performance.now();
const flock = await runFlock(seed);
// The naive poller checks as often as Flock's poller does with 50 accounts on X's 2026 limits.
const naive = await runNaive(seed, Math.max(60_000, Math.ceil((ACCOUNTS * 15 * 60_000) / 150)));
const events = FOLLOWS + UNFOLLOWS;
const floor: Result = {
  name: 'floor (one read per event)',
  requests: events,
  billable: events,
  newFound: FOLLOWS,
  lostFound: UNFOLLOWS,
};

const row = (r: Result) => {
  const detected = r.newFound + r.lostFound;
  return `  ${r.name.padEnd(32)} ${String(r.requests).padStart(7)} requests ${String(r.billable).padStart(8)} billable reads  ${String(r.newFound).padStart(5)} new + ${String(r.lostFound).padStart(4)} lost found  ${(r.billable / Math.max(1, detected)).toFixed(2).padStart(7)} reads/event  ${(r.billable / Math.max(1, r.newFound)).toFixed(2).padStart(7)} reads/new follower`;
};
console.log(
  `A simulated day: ${ACCOUNTS} tracked accounts, ${FOLLOWS} follows, ${UNFOLLOWS} unfollows (seed ${seed}).`,
);
for (const r of [flock, naive, floor]) console.log(row(r));
const perNew = flock.billable / Math.max(1, flock.newFound);
console.log(
  `  Flock named ${flock.lostFound} of ${UNFOLLOWS} unfollows; ${flock.unidentified} were counted but not named (older followers of accounts above ALERTS_SCAN_MAX_FOLLOWERS).`,
);
console.log(
  `  Flock: ${perNew.toFixed(2)} billable reads per new follower (target ≤ 1.5), ${((flock.billable / naive.billable) * 100).toFixed(1)}% of the naive poller's reads (target ≤ 5%). ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
