/** `onChannelMessage`: a live view of what the bot posts to channels, for the playground's page. */
import { REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from './discord/interactions.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;
let rest: REST;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
});
afterEach(() => discord.close());

const post = (channelId: string, body: Record<string, unknown>) =>
  rest.post(Routes.channelMessages(channelId), { body });

describe('listening to channel messages', () => {
  it('calls the listener once per stored message, with the message as stored, until stopped', async () => {
    const heard: Message[] = [];
    const stop = discord.onChannelMessage((message) => heard.push(message));
    await post(discord.alerts.id, { content: 'one', nonce: 'n-1', enforce_nonce: true });
    // The same nonce again is the same message: nothing new to hear.
    await post(discord.alerts.id, { content: 'one', nonce: 'n-1', enforce_nonce: true });
    await post(discord.general.id, { content: 'two' });
    expect(heard.map((m) => [m.channel_id, m.content])).toEqual([
      [discord.alerts.id, 'one'],
      [discord.general.id, 'two'],
    ]);
    expect(heard[0]).toBe(discord.messages(discord.alerts.id)[0]);

    stop();
    await post(discord.alerts.id, { content: 'three' });
    expect(heard).toHaveLength(2);
  });

  it('is not called for a refused message', async () => {
    const heard: Message[] = [];
    discord.onChannelMessage((message) => heard.push(message));
    await expect(post(discord.alerts.id, { content: '' })).rejects.toMatchObject({ code: 50006 });
    expect(heard).toEqual([]);
  });
});
