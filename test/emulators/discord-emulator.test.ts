/** The Discord emulator's own contract, met by an unmodified discord.js client. */
import { Client, Events, GatewayIntentBits, MessageFlags, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from './discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;
let client: Client;

async function login(): Promise<Client> {
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  const ready = new Promise((resolve) => c.once(Events.ClientReady, resolve));
  await c.login(discord.token);
  await ready;
  return c;
}

beforeEach(async () => {
  discord = await startDiscordEmulator();
  await new REST({ api: discord.apiUrl })
    .setToken(discord.token)
    .put(Routes.applicationGuildCommands(discord.applicationId, discord.guild.id), {
      body: [
        { name: 'ping', description: 'Ping', options: [{ type: 3, name: 'word', description: 'A word' }] },
      ],
    });
  client = await login();
});
afterEach(async () => {
  await client.destroy();
  await discord.close();
});

describe('the Discord emulator', () => {
  it('logs a discord.js client in, with its guild and channels', () => {
    expect(client.user?.id).toBe(discord.bot.id);
    const guild = client.guilds.cache.get(discord.guild.id);
    expect(guild?.name).toBe('Flock Test');
    expect(guild?.channels.cache.get(discord.alerts.id)?.name).toBe('alerts');
    expect(client.application?.id).toBe(discord.applicationId);
  });

  it('delivers a slash command with its options and stores the reply', async () => {
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand())
        void i.reply({ content: `pong ${i.options.getString('word')}`, flags: MessageFlags.Ephemeral });
    });
    const interaction = discord.command('ping', { word: 'hello' });
    const reply = await interaction.reply();
    expect(reply.content).toBe('pong hello');
    expect(reply.flags & 64).toBe(64);
    expect(discord.messages(discord.general.id)).toHaveLength(0);
  });

  it('refuses a second acknowledgement with 40060', async () => {
    const outcomes: string[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      const attempt = (text: string) =>
        i.reply({ content: text }).then(
          () => outcomes.push('ok'),
          (e: { code?: number }) => outcomes.push(String(e.code)),
        );
      void attempt('one');
      void attempt('two');
    });
    const interaction = discord.command('ping');
    await interaction.reply();
    await expect.poll(() => outcomes.sort()).toEqual(['40060', 'ok']);
  });

  it('refuses a response after 3 seconds with 10062', async () => {
    const errors: number[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) {
        setTimeout(() => void i.reply('late').catch((e: { code: number }) => errors.push(e.code)), 3100);
      }
    });
    discord.command('ping');
    await expect.poll(() => errors, { timeout: 6000 }).toEqual([10062]);
  });

  it('edits a deferred reply, and refuses edits once the token is 15 minutes old', async () => {
    let edit: (() => Promise<unknown>) | undefined;
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        await i.deferReply();
        await i.editReply({ content: 'done' });
        edit = () => i.editReply('again');
      })();
    });
    const interaction = discord.command('ping');
    expect((await interaction.reply()).content).toBe('done');
    await expect.poll(() => edit).toBeDefined();
    const real = discord.now;
    discord.now = () => real() + 15 * 60_000 + 1;
    await expect(edit?.()).rejects.toMatchObject({ code: 50027 });
  });

  it('refuses what breaks Discord’s limits with 50035 and an errors object', async () => {
    const failures: unknown[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) {
        void i
          .reply({ embeds: [{ description: 'x'.repeat(4097) }] })
          .catch((e: { rawError: unknown }) => failures.push(e.rawError));
      }
    });
    discord.command('ping');
    await expect.poll(() => failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      code: 50035,
      errors: { data: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } },
    });
  });

  it('routes a button click on the bot’s own message and applies the update', async () => {
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) {
        void i.reply({
          content: 'page 1',
          components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: 'next' }] }],
        });
      } else if (i.isButton()) {
        void i.update({ content: `page 2 by ${i.user.username}` });
      }
    });
    const first = await discord.command('ping').reply();
    const click = discord.click(first, 'next');
    const updated = await click.reply((m) => m.content.startsWith('page 2'));
    expect(updated.id).toBe(first.id);
    expect(updated.content).toBe('page 2 by owner');
  });

  it('resumes after a dropped connection and replays what was missed', async () => {
    const seen: string[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) {
        seen.push(i.options.getString('word') ?? '');
        void i.reply('ok');
      }
    });
    const resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
    discord.gateway.drop(4000);
    const missed = discord.command('ping', { word: 'while-away' });
    await resumed;
    await missed.reply();
    expect(seen).toEqual(['while-away']);
    expect(discord.gateway.received.filter((r) => r.op === 6)).toHaveLength(1);
  });

  it("resolves a picked channel with the member's permissions in it and the app's", async () => {
    await new REST({ api: discord.apiUrl })
      .setToken(discord.token)
      .put(Routes.applicationGuildCommands(discord.applicationId, discord.guild.id), {
        body: [
          {
            name: 'where',
            description: 'Where',
            options: [{ type: 7, name: 'channel', description: 'A channel' }],
          },
        ],
      });
    const { ManageGuild, SendMessages, ViewChannel } = PERMISSIONS;
    const mod = discord.addUser('mod', { permissions: ManageGuild });
    const readOnly = discord.guild.addChannel('read-only', [
      { id: discord.guild.id, type: 0, allow: '0', deny: String(SendMessages) },
      { id: discord.bot.id, type: 1, allow: String(SendMessages), deny: '0' },
    ]);
    const seen: (bigint | undefined)[][] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      const channel = i.options.getChannel('channel', true);
      if ('appPermissions' in channel)
        seen.push([channel.permissions?.bitfield, channel.appPermissions?.bitfield]);
      void i.reply('ok');
    });

    await discord.command('where', { channel: readOnly.id }, { user: mod }).reply();
    const member = discord.guild.permissions(mod.id, readOnly);
    expect(member & ViewChannel).toBe(ViewChannel);
    expect(member & SendMessages).toBe(0n);
    const app = discord.guild.permissions(discord.bot.id, readOnly);
    expect(app & SendMessages).toBe(SendMessages);
    // The interaction itself still carries the member's permissions where it was run.
    await discord.command('where', { channel: readOnly.id }, { user: mod, permissions: ViewChannel }).reply();
    expect(seen).toEqual([
      [member, app],
      [ViewChannel, app],
    ]);
  });

  it('posts to a channel only with the permissions it needs, and de-duplicates a nonce', async () => {
    const channel = client.channels.cache.get(discord.alerts.id);
    if (!channel?.isSendable()) throw new Error('alerts channel missing');
    const first = await channel.send({ content: 'hello', nonce: 'n-1', enforceNonce: true });
    const again = await channel.send({ content: 'hello', nonce: 'n-1', enforceNonce: true });
    expect(again.id).toBe(first.id);
    expect(discord.messages(discord.alerts.id)).toHaveLength(1);

    discord.alerts.permission_overwrites.push({
      id: discord.guild.id,
      type: 0,
      allow: '0',
      deny: String(1n << 11n),
    });
    await expect(channel.send('blocked')).rejects.toMatchObject({ code: 50013 });
  });
});
