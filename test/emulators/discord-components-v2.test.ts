/**
 * Components V2 as the Discord emulator enforces them, met by an unmodified discord.js client:
 * what Discord accepts (a Container of Sections with Thumbnails and a row of buttons), and what it
 * refuses (content beside the flag, more than 40 components, more than 4,000 characters of text,
 * a Section without an accessory, taking the flag away, upgrading without clearing the content),
 * and the bare 500 Discord answers past its undocumented size of V2 text.
 */
import {
  ButtonBuilder,
  ButtonStyle,
  Client,
  ContainerBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  REST,
  Routes,
  SectionBuilder,
  TextDisplayBuilder,
  ThumbnailBuilder,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;
let client: Client;
let rest: REST;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
  await rest.put(Routes.applicationGuildCommands(discord.applicationId, discord.guild.id), {
    body: [{ name: 'ping', description: 'Ping' }],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(discord.token);
  await ready;
});
afterEach(async () => {
  await client.destroy();
  await discord.close();
});

const V2 = MessageFlags.IsComponentsV2;

function section(i: number, text = `**Account ${i}** @account${i}`): SectionBuilder {
  return new SectionBuilder()
    .addTextDisplayComponents(new TextDisplayBuilder().setContent(text))
    .setThumbnailAccessory(new ThumbnailBuilder().setURL(`https://pbs.example/${i}.jpg`));
}

function list(accounts: number, text?: (i: number) => string): ContainerBuilder {
  const container = new ContainerBuilder().addTextDisplayComponents(
    new TextDisplayBuilder().setContent('## Followers of @star'),
  );
  for (let i = 0; i < accounts; i += 1) container.addSectionComponents(section(i, text?.(i)));
  return container.addActionRowComponents((row) =>
    row.addComponents(new ButtonBuilder().setCustomId('next').setLabel('Next').setStyle(ButtonStyle.Primary)),
  );
}

/** Posts `body` in #general; resolves with Discord's answer: the message, or the error. */
async function post(body: Record<string, unknown>): Promise<{ status: number; raw: unknown }> {
  try {
    const raw = await rest.post(Routes.channelMessages(discord.general.id), { body });
    return { status: 200, raw };
  } catch (error) {
    const e = error as { status: number; rawError: unknown };
    return { status: e.status, raw: e.rawError };
  }
}

describe('Components V2 in the Discord emulator', () => {
  it('accepts a list of 10 accounts as Sections with Thumbnails in a Container', async () => {
    // 1 Container + heading + 10 × (Section, TextDisplay, Thumbnail) + row + button = 34.
    const answer = await post({ flags: V2, components: [list(10).toJSON()] });
    expect(answer.status).toBe(200);
    const [message] = discord.messages(discord.general.id);
    expect(message?.flags && message.flags & V2).toBe(V2);
  });

  it('refuses content or embeds beside the flag', async () => {
    const answer = await post({ flags: V2, content: 'hello', components: [list(1).toJSON()] });
    expect(answer).toMatchObject({
      status: 400,
      raw: { code: 50035, errors: { content: { _errors: [{}] } } },
    });
  });

  it('refuses more than 40 components, nested ones counted', async () => {
    // 1 + 1 + 13 × 3 + 2 = 43.
    const answer = await post({ flags: V2, components: [list(13).toJSON()] });
    expect(answer).toMatchObject({
      status: 400,
      raw: { code: 50035, errors: { components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
  });

  it('refuses more than 4,000 characters of text in all', async () => {
    // The heading's 21 characters and 5 × 800.
    const answer = await post({ flags: V2, components: [list(5, () => 'x'.repeat(800)).toJSON()] });
    expect(answer).toMatchObject({
      status: 400,
      raw: { errors: { components: { _errors: [{ code: 'COMPONENT_TEXT_LENGTH_EXCEEDED' }] } } },
    });
    expect(
      (await post({ flags: V2, components: [list(5, () => 'x'.repeat(790 - 5)).toJSON()] })).status,
    ).toBe(200);
  });

  it('refuses a Section with no accessory, and one with four texts', async () => {
    const bare = { type: 9, components: [{ type: 10, content: 'a' }] };
    const four = {
      type: 9,
      components: [1, 2, 3, 4].map((n) => ({ type: 10, content: String(n) })),
      accessory: { type: 11, media: { url: 'https://pbs.example/a.jpg' } },
    };
    const answer = await post({ flags: V2, components: [{ type: 17, components: [bare, four] }] });
    expect(answer).toMatchObject({
      status: 400,
      raw: {
        errors: {
          components: {
            0: {
              components: {
                0: { accessory: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } },
                1: { components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } },
              },
            },
          },
        },
      },
    });
  });

  it('refuses the V2 components in a message without the flag', async () => {
    const answer = await post({ components: [list(1).toJSON()] });
    expect(answer).toMatchObject({ status: 400, raw: { errors: { components: { 0: { type: {} } } } } });
  });

  it('answers 500, as Discord does, past its undocumented size of V2 text (3-byte characters)', async () => {
    // 3,600 Japanese characters: within 4,000 characters, but 10,800 bytes of UTF-8.
    const answer = await post({ flags: V2, components: [list(4, () => 'あ'.repeat(900)).toJSON()] });
    expect(answer.status).toBe(500);
    // The same count of ASCII characters is fine.
    expect((await post({ flags: V2, components: [list(4, () => 'a'.repeat(900)).toJSON()] })).status).toBe(
      200,
    );
  });

  it('lets an edit set the flag on a deferred reply, and never take it away', async () => {
    const results: unknown[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        await i.deferReply();
        await i.editReply({ flags: V2, components: [list(2).toJSON()] });
        results.push('v2');
        await i
          .editReply({ flags: 0, content: 'plain', components: [] } as never)
          .catch((e: { code: number }) => results.push(e.code));
        await i.editReply({ components: [list(3).toJSON()] });
        results.push('edited without repeating the flag');
      })().catch((e: unknown) => results.push(e));
    });
    const interaction = discord.command('ping');
    await expect.poll(() => results).toHaveLength(3);
    expect(results).toEqual(['v2', 50035, 'edited without repeating the flag']);
    expect(interaction.original?.flags && interaction.original.flags & V2).toBe(V2);
  });

  it('refuses upgrading a message with content to V2 unless the content is cleared', async () => {
    const results: unknown[] = [];
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        await i.reply({ content: 'first' });
        await i
          .editReply({ flags: V2, components: [list(1).toJSON()] })
          .catch((e: { code: number }) => results.push(e.code));
        await i.editReply({ flags: V2, content: null, components: [list(1).toJSON()] } as never);
        results.push('upgraded');
      })().catch((e: unknown) => results.push(e));
    });
    discord.command('ping');
    await expect.poll(() => results).toHaveLength(2);
    expect(results).toEqual([50035, 'upgraded']);
  });
});
