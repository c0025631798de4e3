/**
 * Flock connects the gateway shards it is told to: two Flocks (one per SQLite file, as SQLite
 * serves one process) share the emulators with SHARD_COUNT=2, one holding shard 0 and the other
 * shard 1, and each answers only the interactions of its own shard's guilds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Events } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Flock, startFlock } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Guild } from '../emulators/discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from '../emulators/x/server.js';
import { heading } from '../support/v2-message.js';

let discord: DiscordEmulator;
let x: XEmulator;
let onShard0: Guild;
let onShard1: Guild;
const flocks: Flock[] = [];
const dirs: string[] = [];

async function start(env: Record<string, string>): Promise<Flock> {
  const dir = mkdtempSync(join(tmpdir(), 'flock-shard-'));
  dirs.push(dir);
  const config = parseConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    X_BEARER_TOKEN: DEFAULT_BEARER,
    X_CLIENT_ID: DEFAULT_CLIENT_ID,
    X_API_URL: x.url,
    PORT: '0',
    STORE_URL: `sqlite://${join(dir, 'flock.sqlite')}`,
    ...env,
  });
  const flock = await startFlock(config, {
    log: createLogger({ level: 'error', write: () => undefined }),
    autoPoll: false,
  });
  flocks.push(flock);
  return flock;
}

/** The guild of every interaction that reaches this Flock's client. */
function heard(flock: Flock): (string | null)[] {
  const seen: (string | null)[] = [];
  flock.client.on(Events.InteractionCreate, (i) => seen.push(i.guildId));
  return seen;
}

async function health(flock: Flock): Promise<unknown> {
  return (await fetch(`${flock.web.url}/healthz`)).json();
}

beforeEach(async () => {
  discord = await startDiscordEmulator();
  x = await startXEmulator();
  onShard0 = discord.addGuild('Shard zero', discord.owner, { shard: [0, 2] });
  onShard0.addChannel('general');
  onShard1 = discord.addGuild('Shard one', discord.owner, { shard: [1, 2] });
  onShard1.addChannel('general');
  x.world.addUser({ username: 'jack', name: 'jack' });
});
afterEach(async () => {
  for (const flock of flocks.splice(0)) await flock.stop();
  await discord.close();
  await x.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('shards', () => {
  it('answers a guild on shard 1 from the Flock holding shard 1 only', async () => {
    const zero = await start({ SHARD_COUNT: '2', SHARD_IDS: '0' });
    const one = await start({ SHARD_COUNT: '2', SHARD_IDS: '1' });
    expect(discord.gateway.identifies.map((i) => [i.shard, i.outcome])).toEqual([
      [[0, 2], 'ready'],
      [[1, 2], 'ready'],
    ]);
    expect(one.client.guilds.cache.has(onShard1.id)).toBe(true);
    expect(one.client.guilds.cache.has(onShard0.id)).toBe(false);
    const heardByZero = heard(zero);
    const heardByOne = heard(one);

    const card = await discord.command('lookup', { user: 'jack' }, { guild: onShard1 }).reply();
    expect(heading(card)).toBe('jack');
    expect(heardByOne).toEqual([onShard1.id]);
    expect(heardByZero).toEqual([]);

    await discord.command('lookup', { user: 'jack' }, { guild: onShard0 }).reply();
    expect(heardByZero).toEqual([onShard0.id]);
    expect(heardByOne).toEqual([onShard1.id]);

    expect(await health(zero)).toEqual({
      ok: true,
      shards: [{ id: 0, status: 'ready' }],
      store: 'ready',
      roles: [],
    });
    expect(await health(one)).toEqual({
      ok: true,
      shards: [{ id: 1, status: 'ready' }],
      store: 'ready',
      roles: [],
    });
  });

  it('connects every shard of SHARD_COUNT by default, and reports each on /healthz', async () => {
    discord.gateway.maxConcurrency = 2;
    const flock = await start({ SHARD_COUNT: '2' });
    expect(discord.gateway.identifies.map((i) => i.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(flock.client.guilds.cache.size).toBe(discord.guilds.length);
    expect(await health(flock)).toEqual({
      ok: true,
      shards: [
        { id: 0, status: 'ready' },
        { id: 1, status: 'ready' },
      ],
      store: 'ready',
      // Background work is not started in these tests (autoPoll: false).
      roles: [],
    });
  });
});
