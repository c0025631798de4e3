/**
 * The production path the README gives operators (and the Dockerfile and systemd unit run):
 * `npm run build`, then one plain node process on the JavaScript it wrote, with no TypeScript
 * loader and no npm in between.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator } from './emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator } from './emulators/x/server.js';
import { flagValue, productionNodeFlags } from './support/production-command.js';
import { v2Text } from './support/v2-message.js';

const ROOT = new URL('..', import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the built bot', () => {
  it('npm run build, then node dist/src/index.js serves commands as one process and stops on SIGTERM', async () => {
    await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT });
    const cwd = mkdtempSync(join(tmpdir(), 'flock-built-'));
    const discord = await startDiscordEmulator();
    const x = await startXEmulator();
    cleanups.push(
      () => rmSync(cwd, { recursive: true, force: true }),
      () => discord.close(),
      () => x.close(),
    );
    const star = x.world.addUser({ username: 'star', name: 'Star' });
    for (const fan of x.world.addUsers(3, 'fan')) x.world.follow(fan.id, star.id);

    const child = spawn(process.execPath, [...productionNodeFlags(), join(ROOT, 'dist/src/index.js')], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        X_BEARER_TOKEN: DEFAULT_BEARER,
        X_CLIENT_ID: DEFAULT_CLIENT_ID,
        X_API_URL: x.url,
        PORT: '0',
      },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += String(d);
    });
    child.stderr.on('data', (d) => {
      output += String(d);
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    cleanups.push(() => {
      child.kill('SIGKILL');
    });

    await expect.poll(() => output, { timeout: 20_000 }).toContain('slash commands registered');
    const port = /"port":(\d+)/.exec(output)?.[1];
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const list = await discord.command('followers', { user: 'star' }).reply();
    expect(v2Text(list)).toContain('Followers of Star');
    // One node process: no loader worker process, no npm, nothing else started.
    expect(childrenOf(child.pid ?? 0)).toEqual([]);

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toContain('"message":"stopped"');
  }, 90_000);
});

describe('the production node flags', () => {
  const flags = productionNodeFlags();
  const line = `node ${flags.join(' ')} dist/src/index.js`;

  it('are the same in npm start, the Dockerfile, and the README (its table, the systemd unit, Docker)', () => {
    expect(flags).toContain('--max-old-space-size=96');
    // Node 20 and 22 choose this size themselves under the cap, so the next test passes there
    // without it; Node 24 would choose 64 MiB.
    expect(flags).toContain('--max-semi-space-size=16');
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '[]';
    expect(JSON.parse(cmd)).toEqual(['node', ...flags, 'dist/src/index.js']);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`npm run build\`, then \`${line}\``);
    expect(readme).toContain(`ExecStart=/usr/bin/${line}\n`);
    expect(readme).toContain(`runs \`${line}\``);
    // Every other production line the README gives carries the same flags.
    for (const [other] of readme.matchAll(/node(?:\s+--\S+)*\s+dist\/src\/index\.js/g))
      expect(other).toBe(line);
  });

  it("leave the old generation room for a young generation's survivors above Flock's live heap at load", async () => {
    // V8 marks the whole heap once the old generation's room below its next limit is no more than
    // the young generation's semi-space, and it sets that limit at most halfway from what a full
    // collection left to the cap. So with less than two semi-spaces between what is live and the
    // cap, it marks again as soon as it has finished: Node 24 sizes semi-spaces at 64 MiB whatever
    // the cap, and under 96 MiB Flock marked the whole heap every 7-12 answers (--trace-gc on
    // bench/interactions, before --max-semi-space-size).
    const { stdout } = await promisify(execFile)(process.execPath, [
      ...flags,
      '-p',
      "require('node:v8').getHeapStatistics().heap_size_limit",
    ]);
    const MiB = 1024 * 1024;
    const oldMiB = flagValue(flags, 'max-old-space-size') ?? 0;
    // The young generation is three semi-spaces (two for scavenges, one for new large objects).
    const semiSpaceMiB = (Number(stdout) / MiB - oldMiB) / 3;
    // What a full collection leaves of Flock's heap with 1,000 tracked accounts and 10,000 users'
    // lists: 41 MiB on Node 24 (`npm run bench:memory -- --modes built --node-options=--trace-gc`),
    // with a margin.
    const liveAtLoadMiB = 48;
    expect(semiSpaceMiB).toBeGreaterThan(0);
    expect((oldMiB - liveAtLoadMiB) / 2).toBeGreaterThan(semiSpaceMiB);
  });
});
