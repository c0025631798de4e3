/** The Discord emulator's global rate limit, and the exemption of interaction endpoints from it. */
import { Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  discord.guildCommands.set(discord.guild.id, [{ id: '100000000000000001', name: 'ping', options: [] }]);
});
afterEach(() => discord.close());

function call(method: string, route: string, body?: unknown, auth = true) {
  return fetch(`${discord.apiUrl}/v10${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(auth ? { authorization: `Bot ${discord.token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("Discord's global rate limit", () => {
  it('answers the request past the limit with a global 429, until the second is over', async () => {
    discord.globalLimit.perSecond = 3;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', Routes.gatewayBot())).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call('GET', Routes.applicationCommands(discord.applicationId));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
    expect(await refused.json()).toMatchObject({ global: true, message: 'You are being rate limited.' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await call('GET', Routes.gatewayBot())).status).toBe(200);
  });

  it('exempts interaction callbacks and the webhook routes of interaction tokens', async () => {
    discord.globalLimit.exhaust(60_000);
    expect((await call('GET', Routes.gatewayBot())).status).toBe(429);
    const interaction = discord.command('ping');
    // With the bot's token or without: interaction endpoints are not bound to the global limit.
    const callback = await call('POST', Routes.interactionCallback(interaction.id, interaction.token), {
      type: 5,
    });
    expect(callback.status).toBe(204);
    const edit = await call(
      'PATCH',
      Routes.webhookMessage(discord.applicationId, interaction.token, '@original'),
      { content: 'done' },
      false,
    );
    expect(edit.status).toBe(200);
    const followUp = await call('POST', Routes.webhook(discord.applicationId, interaction.token), {
      content: 'more',
    });
    expect(followUp.status).toBe(200);
    expect((await interaction.reply()).content).toBe('done');
  });
});
