/**
 * What a user waits for, measured through the Discord and X emulators: slash commands and button
 * clicks sent to Flock and to a trivial discord.js bot that answers "ok" at once (the baseline),
 * each bot in its own process. For every interaction it times dispatch → first response (the
 * callback Discord sees within its 3 seconds) and dispatch → final content (the message showing
 * the page: the reply itself, or the edit after a deferral), for cached and uncached pages, one at
 * a time and N in flight, and prints p50 and p99 beside the baseline and the goals.
 *
 *   npm run bench:interactions                         (1000 of each, 1 and 8 in flight)
 *   npm run bench:interactions -- --count 300 --concurrency 4
 *   npm run bench:interactions -- --x-latency 2000     (X answers uncached pages in 2 s)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { COMMANDS } from '../commands/index.js';
import type { Interaction, Message } from '../test/emulators/discord/interactions.js';
import { type DiscordEmulator, startDiscordEmulator } from '../test/emulators/discord/server.js';
import {
  DEFAULT_BEARER,
  DEFAULT_CLIENT_ID,
  startXEmulator,
  type XEmulator,
} from '../test/emulators/x/server.js';
import { buttons } from '../test/support/v2-message.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    'x-latency': { type: 'string', default: '0' },
  },
});
const COUNT = Number(values.count);
const LEVELS = [...new Set([1, Number(values.concurrency)])];
const X_LATENCY_MS = Number(values['x-latency']);
/** The goal: Flock's p99 within this factor of the trivial bot's. */
const GOAL_FACTOR = 1.5;

interface Timing {
  first: number;
  final: number;
}

interface Series {
  bot: 'flock' | 'trivial';
  kind: 'command' | 'click';
  cache: 'cached' | 'uncached' | '—';
  inFlight: number;
  first: number[];
  final: number[];
  /** The bot's CPU time per interaction of the series. */
  cpuMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const p = (values: number[], q: number) => percentile(values, q);

/** Times one interaction from dispatch: until Discord has its first response, and until the final content. */
async function timed(run: () => Interaction): Promise<Timing> {
  const started = performance.now();
  const interaction = run();
  let first = 0;
  const acknowledged = interaction.acknowledgement(10_000).then(() => {
    first = performance.now() - started;
  });
  await interaction.reply(undefined, 15_000);
  const final = performance.now() - started;
  await acknowledged;
  return { first, final };
}

/**
 * Runs `count` tasks, `inFlight` at a time: worker w runs tasks w, w + inFlight, … in order, each
 * on its own list and message, as separate users would.
 */
async function pool(
  count: number,
  inFlight: number,
  task: (worker: number, i: number) => Promise<Timing>,
): Promise<{ first: number[]; final: number[] }> {
  const out: Timing[] = [];
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      for (let i = worker; i < count; i += inFlight) out.push(await task(worker, i));
    }),
  );
  return {
    first: out.map((t) => t.first).sort((a, b) => a - b),
    final: out.map((t) => t.final).sort((a, b) => a - b),
  };
}

function ask<T>(child: ChildProcess, message: unknown, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.send(message as never);
  });
}

// Buttons anywhere in the message: rows at the top (the trivial bot) or inside a V2 container (Flock).
const live = (message: Message, label: string) =>
  buttons(message).find((b) => b.label === label && !b.disabled)?.custom_id;

/** Clicks Next on `message` (First once at the end), so a walk visits every page and then starts over. */
function nextOrFirst(message: Message): string {
  return live(message, 'Next') ?? live(message, 'First') ?? live(message, 'ok') ?? '';
}

const pagesPerWorker = (inFlight: number) => Math.ceil(COUNT / inFlight) + 2;

/** @star with 200 followers (20 pages, all cached after the warm-up); accounts for uncached opens and walks. */
function seed(x: XEmulator) {
  const star = x.world.addUser({ username: 'star', name: 'Star' });
  const fans = x.world.addUsers(pagesPerWorker(1) * 10, 'fan');
  for (const fan of fans.slice(0, 200)) x.world.follow(fan.id, star.id);
  for (const inFlight of LEVELS) {
    // A fresh account per command: its profile and first page come from X.
    for (let i = 0; i < COUNT; i++) {
      const account = x.world.addUser({ username: `open${inFlight}_${i}`, name: `Open ${i}` });
      for (const fan of fans.slice(0, 10)) x.world.follow(fan.id, account.id);
    }
    // One long list per worker, walked with Next: every page comes from X.
    for (let w = 0; w < inFlight; w++) {
      const account = x.world.addUser({ username: `walk${inFlight}_${w}`, name: `Walk ${w}` });
      for (const fan of fans.slice(0, pagesPerWorker(inFlight) * 10)) x.world.follow(fan.id, account.id);
    }
  }
}

async function measure(mode: 'flock' | 'trivial'): Promise<{ series: Series[]; held: number }> {
  const unlimited = { app: 1_000_000 };
  const x = await startXEmulator({
    limits: { 'GET /2/users/:id/followers': unlimited, 'GET /2/users/by/username/:username': unlimited },
  });
  if (mode === 'flock') seed(x);
  const discord: DiscordEmulator = await startDiscordEmulator();
  const dataDir = mkdtempSync(join(tmpdir(), 'flock-bench-'));
  if (mode === 'trivial')
    discord.guildCommands.set(
      discord.guild.id,
      COMMANDS.map((c, i) => ({ ...c.data, id: String(1e17 + i) })) as never,
    );

  const child = fork(new URL('./bot-process.ts', import.meta.url), {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ],
    stdio: 'inherit',
  });
  await ask(
    child,
    {
      type: 'start',
      mode,
      env: {
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_GUILD_ID: discord.guild.id,
        X_BEARER_TOKEN: DEFAULT_BEARER,
        X_CLIENT_ID: DEFAULT_CLIENT_ID,
        X_API_URL: x.url,
        PORT: '0',
        STORE_URL: `sqlite://${join(dataDir, 'bench.sqlite')}`,
        LOG_LEVEL: 'error',
      },
    },
    'ready',
  );

  const command = (user: string) => () => discord.command('followers', { user });
  // Warm-up: JIT, sockets, and (for Flock) @star's profile and all 20 of its pages in the cache.
  let warm = await discord.command('followers', { user: 'star' }).reply();
  for (let page = 0; page < 21; page++) warm = await discord.click(warm, nextOrFirst(warm)).reply();
  await pool(50, 8, () => timed(command('star')));

  const series: Series[] = [];
  const cpu = async () => {
    const { usage } = await ask<{ usage: NodeJS.CpuUsage }>(child, { type: 'cpu' }, 'cpu');
    return (usage.user + usage.system) / 1000;
  };
  const run = async (
    kind: Series['kind'],
    cache: Series['cache'],
    inFlight: number,
    task: (worker: number, i: number) => Promise<Timing>,
  ) => {
    const before = await cpu();
    const timings = await pool(COUNT, inFlight, task);
    const cpuMs = ((await cpu()) - before) / COUNT;
    series.push({ bot: mode, kind, cache, inFlight, ...timings, cpuMs });
  };
  const slowX = () => {
    if (X_LATENCY_MS > 0) x.faults.add({ match: '/2/users', latencyMs: X_LATENCY_MS, times: 1e9 });
  };
  const heldBefore = await ask<{ held: number }>(child, { type: 'held' }, 'held');
  for (const inFlight of LEVELS) {
    // Each worker pages a list of its own, as users do.
    const lists = await Promise.all(
      Array.from({ length: inFlight }, () => discord.command('followers', { user: 'star' }).reply()),
    );
    await run('command', mode === 'flock' ? 'cached' : '—', inFlight, () => timed(command('star')));
    await run('click', mode === 'flock' ? 'cached' : '—', inFlight, (w) => {
      const list = lists[w] as Message;
      return timed(() => discord.click(list, nextOrFirst(list)));
    });
    if (mode === 'trivial') continue;

    const walks = await Promise.all(
      Array.from({ length: inFlight }, (_, w) =>
        discord.command('followers', { user: `walk${inFlight}_${w}` }).reply(),
      ),
    );
    slowX();
    await run('command', 'uncached', inFlight, (_, i) => timed(command(`open${inFlight}_${i}`)));
    await run('click', 'uncached', inFlight, (w) => {
      const walk = walks[w] as Message;
      return timed(() => discord.click(walk, live(walk, 'Next') ?? ''));
    });
    x.faults.clear();
  }
  const heldAfter = await ask<{ held: number }>(child, { type: 'held' }, 'held');

  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  await exited;
  await discord.close();
  await x.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { series, held: heldAfter.held - heldBefore.held };
}

const flock = await measure('flock');
const trivial = await measure('trivial');

const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
const baseline = (s: Series) =>
  trivial.series.find((t) => t.kind === s.kind && t.inFlight === s.inFlight) as Series;

console.log(
  `${COUNT} of each, one at a time and ${LEVELS.at(-1)} in flight` +
    `${X_LATENCY_MS ? `; X answers uncached pages after ${X_LATENCY_MS} ms` : ''}.`,
);
console.log('dispatch → first response (the callback) and → final content (the page on screen):');
console.log(
  `  ${'bot'.padEnd(8)}${'what'.padEnd(18)}${'in flight'.padEnd(11)}${'first p50'.padStart(11)}${'first p99'.padStart(12)}` +
    `${'final p50'.padStart(12)}${'final p99'.padStart(12)}${'CPU/each'.padStart(11)}`,
);
for (const s of [...flock.series, ...trivial.series]) {
  console.log(
    `  ${(s.bot === 'flock' ? 'Flock' : 'trivial').padEnd(8)}${`${s.kind} ${s.cache === '—' ? '' : s.cache}`.padEnd(18)}` +
      `${String(s.inFlight).padEnd(11)}${ms(p(s.first, 50)).padStart(11)}${ms(p(s.first, 99)).padStart(12)}` +
      `${ms(p(s.final, 50)).padStart(12)}${ms(p(s.final, 99)).padStart(12)}${ms(s.cpuMs).padStart(11)}`,
  );
}
console.log(
  `Requests the bot's REST client held for its global limit: Flock ${flock.held}, trivial ${trivial.held}.`,
);

console.log(`Goals (p99, Flock ÷ trivial, ≤ ${GOAL_FACTOR}×):`);
for (const s of flock.series) {
  const base = baseline(s);
  const checks: [string, number, number][] = [['first response', p(s.first, 99), p(base.first, 99)]];
  // The trivial bot's reply is its final content; an uncached page waits on X, which it never calls.
  if (s.cache === 'cached') checks.push(['final content', p(s.final, 99), p(base.final, 99)]);
  for (const [what, mine, theirs] of checks) {
    const ratio = mine / theirs;
    console.log(
      `  ${`${s.kind} ${s.cache}, ${s.inFlight} in flight, ${what}`.padEnd(44)} ${ms(mine)} vs ${ms(theirs)}` +
        `  ${ratio.toFixed(2)}×  ${ratio <= GOAL_FACTOR ? 'met' : 'NOT MET'}`,
    );
  }
}
