/** `keep`: how much history the emulator holds, so a long bench does not grow it without bound. */
import { REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;
let rest: REST;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
  await rest.put(Routes.applicationGuildCommands(discord.applicationId, discord.guild.id), {
    body: [{ name: 'ping', description: 'Ping', type: 1 }],
  });
});
afterEach(() => discord.close());

describe('the history the emulator keeps', () => {
  it('is everything by default', async () => {
    for (const content of ['one', 'two', 'three'])
      await rest.post(Routes.channelMessages(discord.alerts.id), { body: { content } });
    for (let i = 0; i < 3; i++) discord.command('ping');
    expect(discord.messages(discord.alerts.id).map((m) => m.content)).toEqual(['one', 'two', 'three']);
    expect(discord.rest.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(discord.interactions.size).toBe(3);
  });

  it('is the newest `keep` of the REST log, the interactions and each channel', async () => {
    discord.keep = 2;
    for (const content of ['one', 'two', 'three'])
      await rest.post(Routes.channelMessages(discord.alerts.id), { body: { content } });
    const pings = [discord.command('ping'), discord.command('ping'), discord.command('ping')];
    expect(discord.messages(discord.alerts.id).map((m) => m.content)).toEqual(['two', 'three']);
    expect(discord.rest.map((r) => r.body)).toEqual([{ content: 'two' }, { content: 'three' }]);
    expect([...discord.interactions.values()]).toEqual(pings.slice(1));
    // The newest are still answered as before: a callback reaches its interaction.
    const newest = pings[2];
    await rest.post(Routes.interactionCallback(newest?.id ?? '', newest?.token ?? ''), {
      body: { type: 4, data: { content: 'pong' } },
      auth: false,
    });
    expect((await newest?.reply())?.content).toBe('pong');
    // The oldest is forgotten: its token opens nothing.
    const oldest = pings[0];
    await expect(
      rest.post(Routes.interactionCallback(oldest?.id ?? '', oldest?.token ?? ''), {
        body: { type: 4, data: { content: 'pong' } },
        auth: false,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
