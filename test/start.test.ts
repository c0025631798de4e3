/** `npm start` as an operator runs it: a real process, its exit codes and its one-line errors. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { type DiscordEmulator, startDiscordEmulator } from './emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from './emulators/x/server.js';

const ENTRY = new URL('../src/index.ts', import.meta.url).pathname;
const DEPLOY = new URL('../src/deploy-commands.ts', import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function run(
  env: Record<string, string>,
  cwd: string,
  entry = ENTRY,
): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exit };
}

/**
 * A working folder and both emulators, closed after the test, with the environment that starts
 * Flock against them.
 */
async function emulated(): Promise<{ cwd: string; discord: DiscordEmulator; env: Record<string, string> }> {
  const cwd = mkdtempSync(join(tmpdir(), 'flock-start-'));
  const discord: DiscordEmulator = await startDiscordEmulator();
  const x: XEmulator = await startXEmulator();
  cleanups.push(
    () => rmSync(cwd, { recursive: true, force: true }),
    () => discord.close(),
    () => x.close(),
  );
  const env = {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    X_BEARER_TOKEN: DEFAULT_BEARER,
    X_CLIENT_ID: DEFAULT_CLIENT_ID,
    X_API_URL: x.url,
    PORT: '0',
  };
  return { cwd, discord, env };
}

describe('npm start', () => {
  it('stops with one line naming a missing key', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'flock-start-'));
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
    const started = run({ X_BEARER_TOKEN: 'b', X_CLIENT_ID: 'c' }, cwd);
    expect(await started.exit).toBe(1);
    expect(started.output().trim()).toMatch(
      /^Flock cannot start: DISCORD_TOKEN is missing: set it to the bot token from https:\/\/discord\.com\/developers\/applications[^\n]*$/,
    );
    // The folder has no .env: the line says so, since that is the usual cause.
    expect(started.output()).toContain(
      `(There is no .env in ${cwd}: copy .env.example to .env and fill it in.)`,
    );
  }, 20_000);

  it('starts, serves /healthz, and shuts down cleanly on SIGTERM', async () => {
    const { cwd, discord, env } = await emulated();
    const started = run(env, cwd);
    await expect.poll(() => started.output(), { timeout: 15_000 }).toContain('slash commands registered');
    const port = /"port":(\d+)/.exec(started.output())?.[1];
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toBe('no-store');
    // One process on SQLite holds every background role (no Linked Roles without DISCORD_CLIENT_SECRET).
    expect(await health.json()).toEqual({
      ok: true,
      shards: [{ id: 0, status: 'ready' }],
      store: 'ready',
      roles: ['alerts', 'sweeper'],
    });
    expect((await fetch(`http://127.0.0.1:${port}/anything-else`)).status).toBe(404);
    expect(discord.globalCommands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.data.name));

    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
    expect(started.output()).toContain('"message":"stopped"');
    expect(started.output()).not.toContain(discord.token);
  }, 30_000);

  it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
    const { cwd, discord, env } = await emulated();
    // Registering the commands takes Discord a while: the signal comes in the middle of start-up.
    discord.faults.push({ match: /^PUT \/api\/v10\/applications\/\d+\/commands$/, latencyMs: 1_500 });
    const started = run(env, cwd);
    await expect.poll(() => started.output(), { timeout: 15_000 }).toContain('logged in to Discord');
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
    expect(started.output()).toContain('"message":"shutting down"');
    expect(started.output()).toContain('"message":"stopped"');
  }, 30_000);

  it('npm run deploy-commands registers the commands in DISCORD_GUILD_ID, even when unchanged', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'flock-deploy-'));
    const discord = await startDiscordEmulator();
    cleanups.push(
      () => rmSync(cwd, { recursive: true, force: true }),
      () => discord.close(),
    );
    const env = {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guild.id,
      X_BEARER_TOKEN: DEFAULT_BEARER,
      X_CLIENT_ID: DEFAULT_CLIENT_ID,
    };
    for (let round = 1; round <= 2; round++) {
      const deployed = run(env, cwd, DEPLOY);
      expect(await deployed.exit).toBe(0);
      expect(deployed.output()).toContain(
        `Registered ${COMMANDS.length} commands in guild ${discord.guild.id}.`,
      );
    }
    expect(discord.guildCommands.get(discord.guild.id)?.map((c) => c.name)).toEqual(
      COMMANDS.map((c) => c.data.name),
    );
    expect(discord.rest.filter((r) => r.method === 'PUT')).toHaveLength(2);
  }, 30_000);

  it('refuses a second process on the same SQLite file, and a changed encryption key, each with one line', async () => {
    const key = (n: number) => Buffer.from(Array.from({ length: 32 }, (_, i) => i + n)).toString('base64');
    const emulators = await emulated();
    const cwd = emulators.cwd;
    const env = { ...emulators.env, TOKEN_ENCRYPTION_KEY: key(1) };
    const first = run(env, cwd);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    await expect.poll(() => first.output(), { timeout: 15_000 }).toContain('slash commands registered');
    // DISCORD_CLIENT_SECRET is not set: linking is off, and start-up says so.
    expect(first.output()).toContain('DISCORD_CLIENT_SECRET is not set, so /link and Linked Roles are off');

    const second = run(env, cwd);
    expect(await second.exit).toBe(1);
    expect(second.output().trim()).toMatch(
      /^Flock cannot start: \S+flock\.sqlite is open in another Flock process: Flock runs as one process on SQLite, so stop the other process first\.$/,
    );

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    const rekeyed = run({ ...env, TOKEN_ENCRYPTION_KEY: key(2) }, cwd);
    expect(await rekeyed.exit).toBe(1);
    expect(rekeyed.output().trim()).toMatch(
      /^Flock cannot start: TOKEN_ENCRYPTION_KEY is not the key that encrypted the stored X tokens: .*`npm run forget-links`[^\n]*$/,
    );
  }, 40_000);

  describe('start-up failures name the fix, in one line, with exit code 1', () => {
    /** Starts Flock against the emulators with `env` over working values; resolves with its output once it exits. */
    async function failing(env: (d: DiscordEmulator) => Record<string, string>): Promise<string> {
      const emulators = await emulated();
      const started = run({ ...emulators.env, ...env(emulators.discord) }, emulators.cwd);
      expect(await started.exit).toBe(1);
      // Log lines before it are JSON; the reason is the one plain line, with no stack trace.
      const plain = started
        .output()
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('{'));
      expect(plain).toHaveLength(1);
      return plain[0] ?? '';
    }

    it('Discord refusing the token', async () => {
      // Well formed, but not the bot's.
      expect(await failing((d) => ({ DISCORD_TOKEN: `${d.token.slice(0, -4)}abcd` }))).toBe(
        'Flock cannot start: DISCORD_TOKEN was refused by Discord: reset it at https://discord.com/developers/applications → your application → Bot → Reset Token, and set the new one.',
      );
    }, 20_000);

    it('Discord not reachable', async () => {
      const closed = await closedPort();
      expect(await failing(() => ({ DISCORD_API_URL: `http://127.0.0.1:${closed}/api` }))).toBe(
        `Flock cannot start: Discord is not reachable at http://127.0.0.1:${closed}/api (ECONNREFUSED): check this machine's network, and DISCORD_API_URL (leave it empty for Discord itself).`,
      );
    }, 30_000);

    it('DISCORD_API_URL without /api', async () => {
      let base = '';
      const line = await failing((d) => {
        base = d.apiUrl.replace(/\/api$/, '');
        return { DISCORD_API_URL: base };
      });
      expect(line).toBe(
        `Flock cannot start: DISCORD_API_URL (${base}) answered 404 for /v10/gateway/bot: it must be the API base, ending in /api (for example https://discord.com/api), or be left empty for Discord itself.`,
      );
    }, 20_000);

    it('PORT already in use', async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, resolve));
      cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
      const { port } = taken.address() as AddressInfo;
      expect(await failing(() => ({ PORT: String(port) }))).toBe(
        `Flock cannot start: PORT ${port} is already in use: stop what listens there, or set PORT to a free port.`,
      );
    }, 20_000);
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
