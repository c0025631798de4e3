/**
 * Flock as 1, 2 and 3 processes on one Redis, against the Discord and X emulators: interactions
 * per second and their p50/p99 (each process with 8 in flight, spread over guilds on three
 * shards), alert checks per second and X requests per poll round (300 tracked accounts, polled),
 * RSS per process, and how long a killed process's background roles take to move. Also the cost
 * of the store alone: one process on SQLite against one on Redis.
 *
 *   npm run bench:scale                        (1,000 interactions per process count)
 *   npm run bench:scale -- --count 300 --accounts 100
 *
 * Redis: a private redis-server started for the run (Debian's `redis-server` must be installed;
 * `npm test` installs it).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Guild } from '../test/emulators/discord/guilds.js';
import type { Interaction } from '../test/emulators/discord/interactions.js';
import { type DiscordEmulator, startDiscordEmulator } from '../test/emulators/discord/server.js';
import {
  DEFAULT_BEARER,
  DEFAULT_CLIENT_ID,
  startXEmulator,
  type XEmulator,
} from '../test/emulators/x/server.js';
import { freePort, startRedisServer } from '../test/support/redis-server.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    accounts: { type: 'string', default: '300' },
    'poll-seconds': { type: 'string', default: '45' },
  },
});
const COUNT = Number(values.count);
const ACCOUNTS = Number(values.accounts);
const POLL_WINDOW_MS = Number(values['poll-seconds']) * 1000;
const SHARDS = 3;
const IN_FLIGHT_PER_PROCESS = 8;
/** The shortest interval Flock allows: the poll window then holds a few rounds. */
const INTERVAL_S = 15;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function ask<T>(child: ChildProcess, message: unknown, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`a Flock process exited (${code}) before answering`));
    const onMessage = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message as never);
  });
}

interface Bot {
  child: ChildProcess;
  port: number;
}

async function health(bot: Bot): Promise<{ roles?: string[] } | undefined> {
  try {
    return (await (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).json()) as { roles?: string[] };
  } catch {
    return undefined;
  }
}

async function startBots(processes: number, env: Record<string, string>): Promise<Bot[]> {
  // Shards dealt out round-robin: 1 process holds 0,1,2; 2 hold 0,2 and 1; 3 hold one each.
  const shardSets = Array.from({ length: processes }, (_, p) =>
    Array.from({ length: SHARDS }, (_, s) => s).filter((s) => s % processes === p),
  );
  const bots: Bot[] = [];
  for (const ids of shardSets) {
    const port = await freePort();
    const child = fork(new URL('./bot-process.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    await ask(
      child,
      {
        type: 'start',
        mode: 'flock',
        env: { ...env, PORT: String(port), SHARD_COUNT: String(SHARDS), SHARD_IDS: ids.join(',') },
      },
      'ready',
    );
    bots.push({ child, port });
  }
  return bots;
}

async function stopBots(bots: Bot[]): Promise<void> {
  for (const bot of bots) {
    if (bot.child.exitCode !== null || bot.child.signalCode !== null) continue;
    const exited = new Promise((resolve) => bot.child.once('exit', resolve));
    bot.child.send({ type: 'stop' });
    await exited;
  }
}

async function timed(run: () => Interaction): Promise<number> {
  const started = performance.now();
  const interaction = run();
  await interaction.acknowledgement(10_000);
  const elapsed = performance.now() - started;
  // The list, not an apology: timing failures would measure nothing.
  const answer = await interaction.reply(undefined, 10_000);
  if (answer.flags & 64) throw new Error(`Flock answered privately: ${JSON.stringify(answer).slice(0, 300)}`);
  return elapsed;
}

async function pool(count: number, inFlight: number, task: (i: number) => Promise<number>) {
  const out: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        out.push(await task(i));
      }
    }),
  );
  return { sorted: out.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

interface Row {
  name: string;
  /** With the same load whatever the count of processes: what sharing the work costs. */
  fixed: { p50: number; p99: number };
  /** With 8 in flight per process: the load grows with the processes. */
  perSecond: number;
  p50: number;
  p99: number;
  checksPerSecond?: number;
  requestsPerRound?: number;
  rssMb: number[];
  takeoverMs?: number;
}

interface World {
  x: XEmulator;
  discord: DiscordEmulator;
  guilds: Guild[];
  env: Record<string, string>;
  close(): Promise<void>;
}

async function world(storeUrl: string | undefined, dataDir: string): Promise<World> {
  const x = await startXEmulator({
    limits: {
      'GET /2/users/:id/followers': { app: 1_000_000 },
      'GET /2/users/by/username/:username': { app: 1_000_000 },
      'GET /2/users': { app: 1_000_000 },
    },
  });
  const star = x.world.addUser({ username: 'star', name: 'Star' });
  for (const fan of x.world.addUsers(200, 'fan')) x.world.follow(fan.id, star.id);
  const discord = await startDiscordEmulator();
  // Guilds on each shard, added before anyone connects.
  const guilds = Array.from({ length: SHARDS * 2 }, (_, i) => {
    const guild = discord.addGuild(`Guild ${i}`, discord.owner, { shard: [i % SHARDS, SHARDS] });
    guild.addChannel('alerts');
    return guild;
  });
  return {
    x,
    discord,
    guilds,
    env: {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
      X_API_URL: x.url,
      STORE_URL: storeUrl ?? `sqlite://${join(dataDir, 'bench.sqlite')}`,
      // One key for every process, as an operator sets it.
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ALERTS_SOURCE: 'poll',
      ALERTS_INTERVAL_SECONDS: String(INTERVAL_S),
      ALERTS_MAX_PER_GUILD: String(ACCOUNTS),
      LOG_LEVEL: 'error',
    },
    async close() {
      await discord.close();
      await x.close();
    },
  };
}

async function interactions(w: World, inFlight: number) {
  const command = (i: number) => () =>
    w.discord.command('followers', { user: 'star' }, { guild: w.guilds[i % w.guilds.length] });
  // Warm-up: JIT, sockets, each process's view of the list.
  await pool(60, inFlight, (i) => timed(command(i)));
  return pool(COUNT, inFlight, (i) => timed(command(i)));
}

/** Tracks ACCOUNTS accounts from the first guild, then counts the checks over the poll window. */
async function alertChecks(w: World): Promise<{ perSecond: number; perRound: number }> {
  const guild = w.guilds[0];
  const channel = guild?.channels.find((c) => c.name === 'alerts');
  if (!guild || !channel) throw new Error('no alerts channel');
  const tracked = w.x.world.addUsers(ACCOUNTS, 'tracked');
  for (const account of tracked) {
    await w.discord
      .command('alerts', { account: account.username, channel: channel.id, events: 'both' }, { guild }, 'add')
      .reply((m) => m.content !== '');
  }
  const reads = () =>
    w.x.requests('GET /2/users/:id/followers').filter((e) => tracked.some((t) => e.path.includes(t.id)))
      .length;
  // Past the first round (each account's baseline), then a steady window.
  await new Promise((resolve) => setTimeout(resolve, INTERVAL_S * 1000));
  const before = reads();
  await new Promise((resolve) => setTimeout(resolve, POLL_WINDOW_MS));
  const checks = reads() - before;
  const rounds = POLL_WINDOW_MS / (INTERVAL_S * 1000);
  return { perSecond: checks / (POLL_WINDOW_MS / 1000), perRound: checks / rounds };
}

async function takeover(bots: Bot[]): Promise<number | undefined> {
  if (bots.length < 2) return undefined;
  let holder: Bot | undefined;
  for (const bot of bots) if ((await health(bot))?.roles?.includes('alerts')) holder = bot;
  if (!holder) throw new Error('no process holds the alerts role');
  holder.child.kill('SIGKILL');
  const killedAt = performance.now();
  const others = bots.filter((b) => b !== holder);
  for (;;) {
    for (const bot of others)
      if ((await health(bot))?.roles?.includes('alerts')) return performance.now() - killedAt;
    if (performance.now() - killedAt > 60_000) throw new Error('no process took the alerts role within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function run(
  name: string,
  processes: number,
  storeUrl: string | undefined,
  alerts: boolean,
): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flock-scale-'));
  const w = await world(storeUrl, dataDir);
  const bots = await startBots(processes, w.env);
  try {
    const fixed = await interactions(w, IN_FLIGHT_PER_PROCESS);
    const { sorted, seconds } = await interactions(w, processes * IN_FLIGHT_PER_PROCESS);
    const checks = alerts ? await alertChecks(w) : undefined;
    const rss = await Promise.all(bots.map((b) => ask<{ rss: number }>(b.child, { type: 'rss' }, 'rss')));
    const takeoverMs = alerts ? await takeover(bots) : undefined;
    return {
      name,
      fixed: { p50: percentile(fixed.sorted, 50), p99: percentile(fixed.sorted, 99) },
      perSecond: sorted.length / seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      ...(checks ? { checksPerSecond: checks.perSecond, requestsPerRound: checks.perRound } : {}),
      rssMb: rss.map((r) => r.rss / 2 ** 20),
      ...(takeoverMs !== undefined ? { takeoverMs } : {}),
    };
  } finally {
    await stopBots(bots);
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const redis = await startRedisServer();
const rows: Row[] = [];
try {
  const flush = async () => {
    // Each run starts on an empty Redis.
    const { createClient } = await import('@redis/client');
    const client = createClient({ url: redis.url });
    await client.connect();
    await client.flushAll();
    await client.close();
  };
  rows.push(await run('1 process, SQLite', 1, undefined, false));
  for (const n of [1, 2, 3]) {
    await flush();
    rows.push(await run(`${n} process${n > 1 ? 'es' : ''}, Redis`, n, `${redis.url}/0`, true));
  }
} finally {
  await redis.stop();
}

const base = rows.find((r) => r.name === '1 process, Redis');
const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
console.log(
  `/followers over guilds on ${SHARDS} shards, ${COUNT} per measure; ${ACCOUNTS} accounts polled every ${INTERVAL_S} s; ` +
    `${availableParallelism()} CPU cores for every process, the emulators and this driver together.`,
);
console.log(
  `  ${''.padEnd(20)} | ${IN_FLIGHT_PER_PROCESS} in flight in all       | ${IN_FLIGHT_PER_PROCESS} in flight per process`,
);
for (const r of rows) {
  const ratio = base && r.name.includes('Redis') ? ` ${(r.p99 / base.p99).toFixed(2)}×` : '      ';
  console.log(
    `  ${r.name.padEnd(20)} | p50 ${ms(r.fixed.p50)} p99 ${ms(r.fixed.p99)} | ${r.perSecond.toFixed(0).padStart(4)}/s p50 ${ms(r.p50)} p99 ${ms(r.p99)}${ratio}` +
      (r.checksPerSecond !== undefined
        ? ` | checks ${r.checksPerSecond.toFixed(1)}/s, ${r.requestsPerRound?.toFixed(0)} list reads a round`
        : '') +
      ` | RSS ${r.rssMb.map((m) => `${m.toFixed(0)} MB`).join(' / ')}` +
      (r.takeoverMs !== undefined ? ` | takeover ${(r.takeoverMs / 1000).toFixed(1)} s` : ''),
  );
}
console.log(
  `Baseline: one process on Redis. Goals: p99 with 2 and 3 processes ≤ 1.5× its p99 (the × column); ` +
    `${ACCOUNTS} list reads a round (one check per account however many processes); ` +
    `takeover ≤ 2 alert intervals (${2 * INTERVAL_S} s). The first row is the same process on SQLite.`,
);
