/** The Discord emulator shards as Discord does, met by unmodified discord.js clients over real sockets. */
import { Client, Events, GatewayIntentBits, type Interaction, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Guild } from './discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';
import { shardOf } from './discord/snowflake.js';

let discord: DiscordEmulator;
let onShard0: Guild;
let onShard1: Guild;
const clients: Client[] = [];

function newClient(shards: number[], shardCount: number): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: discord.apiUrl },
    shards,
    shardCount,
  });
  clients.push(client);
  return client;
}

async function login(shards: number[], shardCount: number): Promise<Client> {
  const client = newClient(shards, shardCount);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(discord.token);
  await ready;
  return client;
}

/** The ids of the guilds in whose interactions reach `client`, answering each with its own name. */
function answer(client: Client, name: string): string[] {
  const seen: string[] = [];
  client.on(Events.InteractionCreate, (i: Interaction) => {
    seen.push(i.guildId ?? 'dm');
    if (i.isChatInputCommand()) void i.reply(name).catch(() => undefined);
  });
  return seen;
}

beforeEach(async () => {
  discord = await startDiscordEmulator();
  onShard0 = discord.addGuild('Shard zero', discord.owner, { shard: [0, 2] });
  onShard0.addChannel('general');
  onShard1 = discord.addGuild('Shard one', discord.owner, { shard: [1, 2] });
  onShard1.addChannel('general');
  await new REST({ api: discord.apiUrl })
    .setToken(discord.token)
    .put(Routes.applicationCommands(discord.applicationId), {
      body: [{ name: 'ping', description: 'Ping', contexts: [0, 1], integration_types: [0, 1] }],
    });
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await discord.close();
});

describe('sharding in the Discord emulator', () => {
  it('recommends a shard count and an identify concurrency at /gateway/bot', async () => {
    discord.gateway.recommendedShards = 3;
    discord.gateway.maxConcurrency = 2;
    const info = await new REST({ api: discord.apiUrl }).setToken(discord.token).get(Routes.gatewayBot());
    expect(info).toMatchObject({ shards: 3, session_start_limit: { max_concurrency: 2 } });
  });

  it("gives each shard only its guilds, and routes a guild's interactions to its shard alone", async () => {
    const first = await login([0], 2);
    const second = await login([1], 2);
    expect(discord.gateway.identifies.map((i) => i.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(discord.gateway.sessions.map((s) => [s.shard, s.connected])).toEqual([
      [[0, 2], true],
      [[1, 2], true],
    ]);
    const byShard = (shard: number) =>
      discord.guilds.filter((g) => shardOf(g.id, 2) === shard).map((g) => g.id);
    expect([...first.guilds.cache.keys()].sort()).toEqual(byShard(0).sort());
    expect([...second.guilds.cache.keys()].sort()).toEqual(byShard(1).sort());
    expect(first.guilds.cache.has(onShard1.id)).toBe(false);

    const seenByFirst = answer(first, 'first');
    const seenBySecond = answer(second, 'second');
    expect((await discord.command('ping', {}, { guild: onShard1 }).reply()).content).toBe('second');
    expect((await discord.command('ping', {}, { guild: onShard0 }).reply()).content).toBe('first');
    expect(seenByFirst).toEqual([onShard0.id]);
    expect(seenBySecond).toEqual([onShard1.id]);
  });

  it('sends a DM interaction to shard 0 only', async () => {
    const first = await login([0], 2);
    const second = await login([1], 2);
    const seenByFirst = answer(first, 'first');
    const seenBySecond = answer(second, 'second');
    const dm = discord.command('ping', {}, { dm: true });
    expect((await dm.reply()).content).toBe('first');
    expect(dm.payload).toMatchObject({ context: 1, user: { id: discord.owner.id } });
    expect(dm.payload.guild_id).toBeUndefined();
    expect(seenByFirst).toEqual(['dm']);
    expect(seenBySecond).toEqual([]);
  });

  it('closes an IDENTIFY for a shard outside the count, or a count off the assigned multiple, with 4010', async () => {
    await expect(newClient([2], 2).login(discord.token)).rejects.toThrow('Invalid shard');
    discord.gateway.shardCountMultiple = 4;
    await expect(newClient([0], 2).login(discord.token)).rejects.toThrow('Invalid shard');
    expect(discord.gateway.identifies.map((i) => [i.shard, i.outcome])).toEqual([
      [[2, 2], 4010],
      [[0, 2], 4010],
    ]);
    expect(discord.gateway.sessions).toEqual([]);
    discord.gateway.maxConcurrency = 4;
    await login([0, 1, 2, 3], 4);
  });

  it('closes a session that would hold more guilds than one shard may with 4011', async () => {
    // Three guilds: the default one falls on either shard of two, so one of them holds two.
    discord.gateway.maxGuildsPerShard = 2;
    discord.gateway.maxConcurrency = 2;
    await expect(newClient([0], 1).login(discord.token)).rejects.toThrow('Sharding is required');
    expect(discord.gateway.identifies.map((i) => i.outcome)).toEqual([4011]);
    const sharded = await login([0, 1], 2);
    expect(sharded.guilds.cache.size).toBe(3);
    discord.gateway.maxGuildsPerShard = 1;
    await expect(newClient([0, 1], 2).login(discord.token)).rejects.toThrow('Sharding is required');
  });

  it('lets a second session identify for a live shard, as Discord does: both receive its events', async () => {
    const first = await login([1], 2);
    const second = await login([1], 2);
    expect(discord.gateway.sessions.map((s) => [s.shard, s.connected])).toEqual([
      [[1, 2], true],
      [[1, 2], true],
    ]);
    const seenByFirst = answer(first, 'first');
    const seenBySecond = answer(second, 'second');
    const ping = discord.command('ping', {}, { guild: onShard1 });
    await ping.reply();
    await expect.poll(() => ping.callbacks.map((c) => c.code ?? c.status).sort()).toEqual([204, 40060]);
    expect(seenByFirst).toEqual([onShard1.id]);
    expect(seenBySecond).toEqual([onShard1.id]);
  });

  it('refuses a second IDENTIFY on one connection with 4005', async () => {
    const socket = new WebSocket(`${discord.gateway.url}?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('message', resolve));
    const identify = JSON.stringify({
      op: 2,
      d: { token: discord.token, intents: 1, properties: {}, shard: [0, 1] },
    });
    socket.send(identify);
    socket.send(identify);
    expect(await closed).toBe(4005);
    expect(discord.gateway.identifies.map((i) => i.outcome)).toEqual(['ready', 4005]);
  });

  it('resumes one shard after a drop, replaying its guild events to it alone', async () => {
    const first = await login([0], 2);
    const second = await login([1], 2);
    const seenByFirst = answer(first, 'first');
    const seenBySecond = answer(second, 'second');
    const resumed = new Promise((resolve) => second.once(Events.ShardResume, resolve));
    discord.gateway.drop(4000, 1);
    const missed = discord.command('ping', {}, { guild: onShard1 });
    await resumed;
    expect((await missed.reply()).content).toBe('second');
    expect(discord.gateway.received.filter((r) => r.op === 6)).toHaveLength(1);
    expect(discord.gateway.sessions.map((s) => [s.shard, s.connected])).toEqual([
      [[0, 2], true],
      [[1, 2], true],
    ]);
    expect(seenByFirst).toEqual([]);
    expect(seenBySecond).toEqual([onShard1.id]);
  });
});
