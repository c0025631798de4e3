/**
 * The day bench:alerts runs through each set-up: the X emulator with the tracked accounts and
 * their followers, the day's planned follows and unfollows (the same for every set-up, from the
 * seed), a clock that is simulated through the day and can then run in real time, and what is
 * needed to time an alert: when each follow or unfollow happened, and who a Discord message names.
 */
import { DEFAULT_BEARER, startXEmulator, type XEmulator } from '../test/emulators/x/server.js';
import { ManualClock } from '../test/support/manual-clock.js';
import { textDisplays } from '../test/support/v2-message.js';

export const DAY_START = Date.parse('2026-11-28T00:00:00Z');
export const DAY = '2026-11-28';
export const DAY_MS = 24 * 60 * 60_000;
export { DEFAULT_BEARER };

export interface DaySize {
  accounts: number;
  follows: number;
  unfollows: number;
}

/** A small deterministic generator, so every set-up sees the same day. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The emulator's and Flock's clock: moved by hand through the simulated day, then (after
 * `runInRealTime`) going on from there at the pace of the wall clock.
 */
export class BenchClock extends ManualClock {
  #real: { from: number; wall: number } | undefined;

  override now(): number {
    return this.#real ? this.#real.from + (performance.now() - this.#real.wall) : super.now();
  }

  runInRealTime(): void {
    this.#real = { from: super.now(), wall: performance.now() };
  }
}

export interface Change {
  at: number;
  kind: 'follow' | 'unfollow';
  account: number;
}

/** Follows over the whole span; unfollows in its second half, when there are followers of the day to lose. */
export function plan(rand: () => number, size: DaySize, start: number, span: number): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i < size.follows; i++)
    changes.push({
      at: start + Math.floor(rand() * span),
      kind: 'follow',
      account: Math.floor(rand() * size.accounts),
    });
  for (let i = 0; i < size.unfollows; i++)
    changes.push({
      at: start + span / 2 + Math.floor(rand() * (span / 2 - span / 1440)),
      kind: 'unfollow',
      account: Math.floor(rand() * size.accounts),
    });
  return changes.sort((a, b) => a.at - b.at);
}

/** When a follow or unfollow happened: on the emulator's clock, and on the wall clock. */
export interface Happened {
  at: number;
  wall: number;
}

export interface World {
  emulator: XEmulator;
  clock: BenchClock;
  accounts: string[];
  /** Per account: followers gained today, and followers from before. */
  today: string[][];
  older: string[][];
  /** By `new:<user id>` or `lost:<user id>`. */
  happened: Map<string, Happened>;
  applied: { follows: number; unfollows: number };
  rand: () => number;
}

export async function buildWorld(seed: number, accounts: number): Promise<World> {
  const clock = new BenchClock(DAY_START);
  const emulator = await startXEmulator({ clock });
  const rand = random(seed);
  const ids: string[] = [];
  const older: string[][] = [];
  for (let a = 0; a < accounts; a++) {
    const account = emulator.world.addUser({ username: `tracked${a}` });
    // Accounts worth follower alerts: 1,000 to 10,000 followers, most of them at the small end.
    const size = 1000 + Math.floor(rand() * rand() * 9000);
    // Usernames without `_`, so that Discord's markdown escaping leaves them as they are.
    const fans = emulator.world.addUsers(size, `a${a}old`);
    for (const [n, fan] of fans.entries()) emulator.world.follow(fan.id, account.id, DAY_START - DAY_MS + n);
    ids.push(account.id);
    older.push(fans.map((f) => f.id));
  }
  return {
    emulator,
    clock,
    accounts: ids,
    today: ids.map(() => []),
    older,
    happened: new Map(),
    applied: { follows: 0, unfollows: 0 },
    rand: random(seed + 1),
  };
}

/** Makes one planned change happen now; two in three unfollows are by a follower gained today. */
export function apply(world: World, change: Change): void {
  const account = world.accounts[change.account] as string;
  const when = (): Happened => ({ at: world.clock.now(), wall: performance.now() });
  if (change.kind === 'follow') {
    const [fan] = world.emulator.world.addUsers(1, `n${world.applied.follows}x`);
    if (!fan) return;
    world.emulator.world.follow(fan.id, account);
    world.happened.set(`new:${fan.id}`, when());
    world.today[change.account]?.push(fan.id);
    world.applied.follows += 1;
    return;
  }
  const recent = world.today[change.account] ?? [];
  const pool = world.rand() < 2 / 3 && recent.length ? recent : (world.older[change.account] ?? []);
  const [leaver] = pool.splice(Math.floor(world.rand() * pool.length), 1);
  if (!leaver) return;
  world.emulator.world.unfollow(leaver, account);
  world.happened.set(`lost:${leaver}`, when());
  world.applied.unfollows += 1;
}

/**
 * Steps through the day `stepMs` at a time, and `afterMs` past its end: each change happens at
 * its own time on the clock, then the clock moves to the end of the step and `step` runs.
 */
export async function simulateDay(
  world: World,
  changes: readonly Change[],
  { stepMs, afterMs }: { stepMs: number; afterMs: number },
  step: (now: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  for (let now = DAY_START; now <= DAY_START + DAY_MS + afterMs; now += stepMs) {
    for (let c = changes[next]; c && c.at <= now; c = changes[++next]) {
      world.clock.set(c.at);
      apply(world, c);
    }
    world.clock.set(now);
    await step(now);
  }
}

/** The follower events one Discord alert message announces: its kind, how many, and who. */
export interface Announced {
  kind: 'new' | 'lost' | 'other';
  count: number;
  usernames: string[];
}

export function announced(body: Record<string, unknown>): Announced {
  // A V2 alert: a head (the summary and the "Also:" line), then a container with a section per
  // account, each linking its profile. An outbox entry from before V2 is content and embeds.
  const components = (body.components ?? []) as Record<string, unknown>[];
  const [head = String(body.content ?? '')] = components.length
    ? textDisplays({ components: components.filter((c) => c.type === 10) })
    : [];
  const gained = / has (\d+) new follower/.exec(head);
  const lost = / lost (\d+) follower/.exec(head);
  const kind = gained ? 'new' : lost ? 'lost' : 'other';
  const count = Number(gained?.[1] ?? lost?.[1] ?? 0);
  const embeds = (body.embeds ?? []) as { url?: string }[];
  const usernames = embeds.flatMap((e) => /^https:\/\/x\.com\/(\w+)$/.exec(e.url ?? '')?.[1] ?? []);
  const sections = textDisplays({ components: components.filter((c) => c.type !== 10) }).join('\n');
  for (const m of sections.matchAll(/\]\(https:\/\/x\.com\/(\w+)\)/g)) if (m[1]) usernames.push(m[1]);
  const digest = /\nAlso: (.*)$/s.exec(head)?.[1] ?? '';
  for (const m of digest.replaceAll('\\', '').matchAll(/@(\w+)/g)) if (m[1]) usernames.push(m[1]);
  return { kind, count, usernames };
}

/** What one set-up announced, and how long after each change. */
export class Announcements {
  named = { new: 0, lost: 0 };
  /** Delays (ms) of the announced events whose change is known. */
  readonly delays: number[] = [];

  constructor(
    private readonly world: World,
    /** The delay of one event, from when it happened. */
    private readonly delay: (happened: Happened) => number,
  ) {}

  add(kind: 'new' | 'lost', count: number, userIds: readonly string[]): void {
    this.named[kind] += count;
    for (const id of userIds) {
      const happened = this.world.happened.get(`${kind}:${id}`);
      if (happened) this.delays.push(this.delay(happened));
    }
  }

  /** Records a message posted to Discord. */
  message(body: Record<string, unknown>): void {
    const { kind, count, usernames } = announced(body);
    if (kind === 'other') return;
    const ids = usernames.flatMap((u) => this.world.emulator.world.byUsername(u)?.id ?? []);
    this.add(kind, count, ids);
  }

  get total(): number {
    return this.named.new + this.named.lost;
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
