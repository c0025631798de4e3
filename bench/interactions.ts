/**
 * Sends 1,000 slash commands and 1,000 button clicks through the Discord and X emulators to
 * Flock, and to a trivial discord.js bot that answers "ok" (the baseline), and prints p50 and p99
 * from dispatch to the bot's first response, and the bot's CPU time per interaction.
 *
 *   npm run bench:interactions                 (1000 of each, 8 in flight)
 *   npm run bench:interactions -- --count 300 --concurrency 4
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { COMMANDS } from '../commands/index.js';
import type { Interaction, Message } from '../test/emulators/discord/interactions.js';
import { type DiscordEmulator, startDiscordEmulator } from '../test/emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator } from '../test/emulators/x/server.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '8' } },
});
const COUNT = Number(values.count);
const CONCURRENCY = Number(values.concurrency);

interface Figures {
  name: string;
  commands: number[];
  clicks: number[];
  cpuMsPerInteraction: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function timed(run: () => Interaction): Promise<number> {
  const started = performance.now();
  await run().acknowledgement(10_000);
  return performance.now() - started;
}

async function pool(count: number, task: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        out.push(await task(i));
      }
    }),
  );
  return out.sort((a, b) => a - b);
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

async function measure(mode: 'flock' | 'trivial'): Promise<Figures> {
  const x = await startXEmulator({ limits: { 'GET /2/users/:id/followers': { app: 100_000 } } });
  const star = x.world.addUser({ username: 'star', name: 'Star' });
  for (const fan of x.world.addUsers(200, 'fan')) x.world.follow(fan.id, star.id);
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

  // Warm-up: JIT, sockets, Flock's caches for the list it will show.
  const warm = await discord.command('followers', { user: 'star' }).reply();
  await pool(50, () => timed(() => discord.command('followers', { user: 'star' })));

  const cpuBefore = await ask<{ usage: NodeJS.CpuUsage }>(child, { type: 'cpu' }, 'cpu');
  const commands = await pool(COUNT, () => timed(() => discord.command('followers', { user: 'star' })));
  const list: Message = warm;
  const labels = ['Next', 'First'];
  const clicks = await pool(COUNT, async (i) => {
    const buttons = list.components.flatMap(
      (row) => row.components as { label: string; custom_id: string; disabled?: boolean }[],
    );
    const live = buttons.filter((b) => !b.disabled);
    const button = live.find((b) => b.label === labels[i % 2]) ?? live[0];
    return timed(() => discord.click(list, button?.custom_id ?? '', {}));
  });
  const cpuAfter = await ask<{ usage: NodeJS.CpuUsage }>(child, { type: 'cpu' }, 'cpu');

  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  await exited;
  await discord.close();
  await x.close();
  rmSync(dataDir, { recursive: true, force: true });
  const cpuMs =
    (cpuAfter.usage.user + cpuAfter.usage.system - cpuBefore.usage.user - cpuBefore.usage.system) / 1000;
  return {
    name: mode === 'flock' ? 'Flock' : 'trivial "ok" bot (baseline)',
    commands,
    clicks,
    cpuMsPerInteraction: cpuMs / (2 * COUNT),
  };
}

const results = [await measure('flock'), await measure('trivial')];
console.log(
  `${COUNT} slash commands and ${COUNT} button clicks, ${CONCURRENCY} in flight; dispatch → first response:`,
);
for (const r of results) {
  console.log(
    `  ${r.name.padEnd(30)} commands p50 ${percentile(r.commands, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(r.commands, 99).toFixed(1).padStart(6)} ms` +
      `   clicks p50 ${percentile(r.clicks, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(r.clicks, 99).toFixed(1).padStart(6)} ms` +
      `   CPU ${r.cpuMsPerInteraction.toFixed(2)} ms/interaction`,
  );
}
