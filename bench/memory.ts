/**
 * What Flock's process costs in memory, for each way of running it: `npm start` (npm, the build,
 * then the production line), `node --import tsx src/index.ts` (one process, TypeScript compiled
 * as it loads), and `node <npm start's flags> dist/src/index.js` after `npm run build` (one
 * process, plain JavaScript: the production line). For each: RSS idle after start, then with
 * 1,000 tracked accounts and 10,000 lists opened by 10,000 different Discord users (the paging
 * sessions a busy day leaves), sampled every 200 ms, against the goal of 150 MiB.
 * RSS is the sum over the process and its children, read from /proc.
 *
 *   npm run bench:memory
 *   npm run bench:memory -- --accounts 200 --sessions 2000 --modes built [--skip-build]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type DiscordEmulator, startDiscordEmulator } from '../test/emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator } from '../test/emulators/x/server.js';
import { productionNodeFlags } from '../test/support/production-command.js';
import { freePort } from '../test/support/redis-server.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000' },
    sessions: { type: 'string', default: '10000' },
    modes: { type: 'string', default: 'npm,tsx,built' },
    /**
     * More node flags for Flock, e.g. "--max-old-space-size=128" or "--trace-gc": after npm
     * start's own on the production line (where a later flag wins), and as NODE_OPTIONS for the
     * other modes (where npm start's own flags win over them, and node takes only some flags).
     */
    'node-options': { type: 'string', default: '' },
    /** dist/ is already current: measure it as it is. */
    'skip-build': { type: 'boolean', default: false },
  },
});
const ACCOUNTS = Number(values.accounts);
const SESSIONS = Number(values.sessions);
const GOAL_MIB = 150;
const IN_FLIGHT = 8;
const ROOT = new URL('..', import.meta.url).pathname;

const MORE_FLAGS = String(values['node-options']).split(/\s+/).filter(Boolean);
/** The production line's node flags, then `--node-options`, which win where they repeat one. */
const BUILT_FLAGS = [...productionNodeFlags(), ...MORE_FLAGS];
const MODES = {
  npm: { label: 'npm start (npm, the build, then the production line)', command: 'npm', args: ['start'] },
  tsx: {
    label: 'node --import tsx src/index.ts',
    command: process.execPath,
    args: ['--import', 'tsx', 'src/index.ts'],
  },
  // The production line: npm start's node flags (the heap caps), after npm run build.
  built: {
    label: `node ${BUILT_FLAGS.join(' ')} dist/src/index.js (npm run build)`,
    command: process.execPath,
    args: [...BUILT_FLAGS, 'dist/src/index.js'],
  },
} as const;
type Mode = keyof typeof MODES;

const MiB = (bytes: number) => bytes / 1024 / 1024;

/** RSS in bytes of `pid` and every process below it. */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent id follows the last one.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone since the listing.
    }
  }
  let total = 0;
  const walk = (p: number) => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      return;
    }
    for (const child of children.get(p) ?? []) walk(child);
  };
  walk(pid);
  return total;
}

async function pool(count: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function healthy(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`Flock exited with ${child.exitCode} before serving`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('Flock did not become healthy within 2 minutes');
}

interface Figures {
  idle: number;
  accounts: number;
  sessions: [number, number][];
  peak: number;
}

async function measure(mode: Mode, discord: DiscordEmulator, xUrl: string): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'flock-memory-'));
  const port = await freePort();
  const child = spawn(MODES[mode].command, [...MODES[mode].args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
      X_API_URL: xUrl,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      STORE_URL: `sqlite://${join(dir, 'flock.sqlite')}`,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ALERTS_MAX_PER_GUILD: String(ACCOUNTS),
      LOG_LEVEL: 'error',
      // On the production line they are flags already: npm start's own would override NODE_OPTIONS.
      ...(MORE_FLAGS.length && mode !== 'built' ? { NODE_OPTIONS: MORE_FLAGS.join(' ') } : {}),
    },
    // Flock logs to stderr; the production line's stdout is node's own (what --trace-gc prints).
    stdio: ['ignore', mode === 'built' ? 'inherit' : 'ignore', 'inherit'],
  });
  const pid = child.pid ?? 0;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
  }, 200);
  try {
    await healthy(`http://127.0.0.1:${port}`, child);
    // Let start-up's garbage go before calling it idle.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idle = treeRss(pid);
    await pool(ACCOUNTS, (i) =>
      discord
        .command('alerts', { account: `tracked${i + 1}`, channel: discord.alerts.id }, {}, 'add')
        .reply(),
    );
    const accounts = treeRss(pid);
    const sessions: [number, number][] = [];
    const step = Math.max(1, Math.ceil(SESSIONS / 4));
    for (let done = 0; done < SESSIONS; done += step) {
      const n = Math.min(step, SESSIONS - done);
      await pool(n, (i) =>
        discord.command('followers', { user: 'star' }, { user: member(discord, done + i) }).reply(),
      );
      sessions.push([done + n, treeRss(pid)]);
    }
    return { idle, accounts, sessions, peak: Math.max(peak, treeRss(pid)) };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The n-th Discord member, made on first use: every list is opened by someone new. */
const members: ReturnType<DiscordEmulator['addUser']>[] = [];
function member(discord: DiscordEmulator, n: number) {
  members[n] ??= discord.addUser(`member${n}`);
  return members[n];
}

const modes = String(values.modes)
  .split(',')
  .filter((m): m is Mode => m in MODES);
if (!values['skip-build'] && (modes.includes('built') || !existsSync(join(ROOT, 'dist/src/index.js')))) {
  process.stdout.write('npm run build … ');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  process.stdout.write('done\n');
}

const x = await startXEmulator();
const star = x.world.addUser({ username: 'star', name: 'Star' });
for (const fan of x.world.addUsers(50, 'fan')) x.world.follow(fan.id, star.id);
for (const tracked of x.world.addUsers(ACCOUNTS, 'tracked')) x.world.follow(star.id, tracked.id);
const discord = await startDiscordEmulator();

const results: [Mode, Figures][] = [];
for (const mode of modes) results.push([mode, await measure(mode, discord, x.url)]);
await discord.close();
await x.close();

console.log(
  `RSS (MiB): idle, then ${ACCOUNTS} tracked accounts, then lists opened by that many users; goal < ${GOAL_MIB}`,
);
for (const [mode, f] of results) {
  console.log(`  ${MODES[mode].label}`);
  console.log(`    idle ${MiB(f.idle).toFixed(1)}   + ${ACCOUNTS} accounts ${MiB(f.accounts).toFixed(1)}`);
  console.log(`    sessions ${f.sessions.map(([n, rss]) => `${n}: ${MiB(rss).toFixed(1)}`).join('   ')}`);
  console.log(`    peak ${MiB(f.peak).toFixed(1)}   ${MiB(f.peak) < GOAL_MIB ? 'goal met' : 'GOAL NOT MET'}`);
}
