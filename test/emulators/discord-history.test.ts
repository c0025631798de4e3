/** `keep`: how much history the emulator holds, so a long bench does not grow it without bound. */
import { REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Interaction } from './discord/interactions.js';
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
    const pings = [];
    for (let i = 0; i < 3; i++) {
      const ping = discord.command('ping');
      pings.push(ping);
      await answer(ping, 4, { content: `pong ${i}` });
    }
    expect(discord.messages(discord.alerts.id).map((m) => m.content)).toEqual(['two', 'three']);
    expect(discord.rest.map((r) => r.body)).toEqual([
      { type: 4, data: { content: 'pong 1' } },
      { type: 4, data: { content: 'pong 2' } },
    ]);
    expect([...discord.interactions.values()]).toEqual(pings.slice(1));
    // The newest are still reached through their token.
    const newest = pings[2] as Interaction;
    await rest.patch(Routes.webhookMessage(discord.applicationId, newest.token), {
      body: { content: 'pong again' },
      auth: false,
    });
    expect((await newest.reply())?.content).toBe('pong again');
    // The oldest is forgotten: its token opens nothing.
    await expect(answer(pings[0] as Interaction, 4, { content: 'pong' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('forgets an unanswered interaction only once its 3 seconds are over', async () => {
    discord.keep = 2;
    let now = Date.now();
    discord.now = () => now;
    const waiting = discord.command('ping');
    for (let i = 0; i < 3; i++) await answer(discord.command('ping'), 4, { content: 'pong' });
    // Three newer ones came and went: Discord still takes this one's answer within its 3 s.
    await answer(waiting, 4, { content: 'late pong' });
    expect((await waiting.reply()).content).toBe('late pong');

    const unanswered = discord.command('ping');
    now += 3_001;
    for (let i = 0; i < 2; i++) await answer(discord.command('ping'), 4, { content: 'pong' });
    expect([...discord.interactions.values()]).not.toContain(unanswered);
  });

  it('keeps a deferral that is still thinking editable for its 15 minutes', async () => {
    discord.keep = 2;
    let now = Date.now();
    discord.now = () => now;
    const slow = discord.command('ping');
    await answer(slow, 5);
    now += 60_000;
    for (let i = 0; i < 3; i++) await answer(discord.command('ping'), 4, { content: 'pong' });
    await rest.patch(Routes.webhookMessage(discord.applicationId, slow.token), {
      body: { content: 'pong at last' },
      auth: false,
    });
    expect((await slow.reply()).content).toBe('pong at last');

    const forgotten = discord.command('ping');
    await answer(forgotten, 5);
    now += 15 * 60_000 + 1;
    for (let i = 0; i < 2; i++) await answer(discord.command('ping'), 4, { content: 'pong' });
    expect([...discord.interactions.values()]).not.toContain(forgotten);
  });

  it('keeps a deferred update editable until its message is edited', async () => {
    discord.keep = 2;
    const list = discord.command('ping');
    await answer(list, 4, {
      content: 'page 1',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: 'next' }] }],
    });
    const click = discord.click(await list.reply(), 'next');
    await answer(click, 6);
    for (let i = 0; i < 3; i++) await answer(discord.command('ping'), 4, { content: 'pong' });
    expect([...discord.interactions.values()]).toContain(click);
    await rest.patch(Routes.webhookMessage(discord.applicationId, click.token), {
      body: { content: 'page 2' },
      auth: false,
    });
    expect((await click.reply()).content).toBe('page 2');
    // Edited: it is done, and the next interaction past `keep` forgets it.
    await answer(discord.command('ping'), 4, { content: 'pong' });
    expect([...discord.interactions.values()]).not.toContain(click);
  });
});

/** Answers an interaction as a bot does: one callback through its token. */
function answer(interaction: Interaction, type: number, data?: Record<string, unknown>) {
  return rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type, ...(data ? { data } : {}) },
    auth: false,
  });
}
