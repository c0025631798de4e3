/**
 * The README cannot drift: every npm command it gives names a script that exists, and each is run
 * somewhere, by these tests, by another test, by `.ci/run` or by the bench smoke run CI makes. The
 * commands only an operator's machine runs (npm run dev, deploy-commands, forget-links) run here,
 * through npm, in a sandbox folder that holds no `.env` and no data of anyone's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { startDiscordEmulator } from './emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator } from './emulators/x/server.js';

const ROOT = new URL('..', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Scripts a text names as npm commands: `npm run x`, and `npm start` / `npm test`. */
function npmScripts(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/npm run(?: --silent)? ([\w:-]+)/g)) found.add(m[1] ?? '');
  for (const m of text.matchAll(/npm (start|test)\b/g)) found.add(m[1] ?? '');
  return found;
}

/**
 * Scripts a file runs (not merely mentions): in a shell file, its commands outside comments; in a
 * test, npm started as a process (`spawn('npm', ['run', 'x'])`, or through this file's `npm()`).
 */
function npmRuns(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.ts'))
    return npmScripts(
      text
        .split('\n')
        .filter((line) => !line.trim().startsWith('#'))
        .join('\n'),
    );
  const found = new Set<string>();
  for (const m of text.matchAll(/\('npm', \[(?:'run', )?(?:'--silent', )?'([\w:-]+)'/g))
    found.add(m[1] ?? '');
  for (const m of text.matchAll(/\bnpm\(\['([\w:-]+)'/g)) found.add(m[1] ?? '');
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') || f.endsWith('.sh'))
    .map((f) => join(ROOT, dir, f));
}

/** A folder that looks like the project to npm (its package.json, code and modules) and holds nothing else. */
function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flock-readme-'));
  for (const entry of [
    'package.json',
    'node_modules',
    'src',
    'commands',
    'tsconfig.json',
    'tsconfig.build.json',
  ])
    symlinkSync(join(ROOT, entry), join(dir, entry));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function npm(args: string[], cwd: string, env: Record<string, string>) {
  const child: ChildProcess = spawn('npm', args[0] === 'start' ? ['start'] : ['run', '--silent', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    detached: true,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (d) => {
      output += String(d);
    });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  cleanups.push(() => {
    // npm and what it started are one process group.
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  });
  return { child, output: () => output, exit };
}

describe('the README', () => {
  it('names only scripts that exist', () => {
    const named = npmScripts(README);
    expect(named.size).toBeGreaterThan(10);
    for (const script of named) expect(SCRIPTS, `npm run ${script}`).toContain(script);
  });

  it('has every npm command it gives run by a test, .ci/run or the bench smoke run', () => {
    const runners = [join(ROOT, '.ci/run'), ...filesUnder('scripts'), ...filesUnder('test')];
    const run = new Set(runners.flatMap((file) => [...npmRuns(file)]));
    for (const script of npmScripts(README))
      expect(run, `npm run ${script} is run nowhere`).toContain(script);
  });

  it('npm run forget-links empties the store and says so', async () => {
    const cwd = sandbox();
    const discord = await startDiscordEmulator();
    cleanups.push(() => discord.close());
    const forgot = npm(['forget-links'], cwd, {
      DISCORD_TOKEN: discord.token,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
    });
    expect(await forgot.exit).toBe(0);
    expect(forgot.output()).toContain('Deleted every linked account.');
  }, 60_000);

  it('npm run deploy-commands registers every command', async () => {
    const cwd = sandbox();
    const discord = await startDiscordEmulator();
    cleanups.push(() => discord.close());
    const deployed = npm(['deploy-commands'], cwd, {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
    });
    expect(await deployed.exit).toBe(0);
    expect(discord.globalCommands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.data.name));
  }, 60_000);

  it('npm start builds the bot and runs it', async () => {
    const cwd = sandbox();
    const discord = await startDiscordEmulator();
    const x = await startXEmulator();
    cleanups.push(
      () => discord.close(),
      () => x.close(),
    );
    const started = npm(['start'], cwd, {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
      X_API_URL: x.url,
      PORT: '0',
    });
    await expect.poll(() => started.output(), { timeout: 60_000 }).toContain('slash commands registered');
    process.kill(-(started.child.pid ?? 0), 'SIGTERM');
    await expect.poll(() => started.output(), { timeout: 15_000 }).toContain('"message":"stopped"');
  }, 90_000);

  it('npm run dev starts the bot, which stops cleanly on SIGTERM', async () => {
    const cwd = sandbox();
    const discord = await startDiscordEmulator();
    const x = await startXEmulator();
    cleanups.push(
      () => discord.close(),
      () => x.close(),
    );
    const dev = npm(['dev'], cwd, {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
      X_API_URL: x.url,
      PORT: '0',
    });
    await expect.poll(() => dev.output(), { timeout: 30_000 }).toContain('slash commands registered');
    // What systemd or a terminal's Ctrl-C does: the signal reaches the process group.
    process.kill(-(dev.child.pid ?? 0), 'SIGTERM');
    // npm may be gone before the bot has finished: the bot's own last line is what counts.
    await expect.poll(() => dev.output(), { timeout: 15_000 }).toContain('"message":"stopped"');
  }, 60_000);
});
