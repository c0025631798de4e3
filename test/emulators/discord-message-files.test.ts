/**
 * Files sent with a message, as the Discord emulator takes them from discord.js's REST client
 * (multipart: payload_json and files[n]): stored as the message's attachments with their name,
 * alt text and image size; `attachment://` must name one of them; Attach Files is needed in a
 * channel; at most 10 files of at most 10 MiB each.
 */
import { ComponentType, DiscordAPIError, MessageFlags, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderGrowthChart } from '../../src/charts/growth-chart.js';
import { MEMBER_DEFAULT, PERMISSIONS } from './discord/guilds.js';
import { attachmentBytes } from './discord/message-files.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;
let rest: REST;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token);
});
afterEach(() => discord.close());

function allowFiles(allowed = true): void {
  const role = discord.guild.roles.find((r) => r.name === 'Flock');
  if (role) role.permissions = String(allowed ? MEMBER_DEFAULT | PERMISSIONS.AttachFiles : MEMBER_DEFAULT);
}

const png = renderGrowthChart({
  days: [{ day: '2026-11-28', followers: 30, gained: 2, lost: 1 }],
  locale: 'en-US',
});

const gallery = (name: string) => ({
  flags: MessageFlags.IsComponentsV2,
  components: [
    { type: ComponentType.TextDisplay, content: 'Growth' },
    {
      type: ComponentType.MediaGallery,
      items: [{ media: { url: `attachment://${name}` }, description: 'alt' }],
    },
  ],
});

async function refusal(send: () => Promise<unknown>): Promise<{ status: number; code: unknown }> {
  try {
    await send();
  } catch (error) {
    if (error instanceof DiscordAPIError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('Discord accepted it');
}

const post = (body: unknown, files: { name: string; data: Buffer; contentType?: string }[]) =>
  rest.post(Routes.channelMessages(discord.alerts.id), { body, files });

describe('message files', () => {
  it('stores an image with its name, alt text and size, readable as sent', async () => {
    allowFiles();
    await post(
      { ...gallery('chart.png'), attachments: [{ id: 0, filename: 'chart.png', description: 'a chart' }] },
      [{ name: 'upload.png', data: png, contentType: 'image/png' }],
    );
    const [message] = discord.messages(discord.alerts.id);
    expect(message?.attachments).toHaveLength(1);
    const [attachment] = message?.attachments ?? [];
    expect(attachment).toMatchObject({
      filename: 'chart.png',
      content_type: 'image/png',
      description: 'a chart',
      size: png.length,
      width: 1200,
      height: 600,
    });
    expect(attachmentBytes(attachment)?.equals(png)).toBe(true);
  });

  it('refuses files where the bot lacks Attach Files, storing nothing', async () => {
    allowFiles(false);
    expect(await refusal(() => post(gallery('a.png'), [{ name: 'a.png', data: png }]))).toEqual({
      status: 403,
      code: 50013,
    });
    expect(discord.messages(discord.alerts.id)).toEqual([]);
  });

  it('refuses an attachment:// that names no file of the message', async () => {
    allowFiles();
    expect(await refusal(() => post(gallery('other.png'), [{ name: 'a.png', data: png }]))).toEqual({
      status: 400,
      code: 50035,
    });
    expect(
      await refusal(() => rest.post(Routes.channelMessages(discord.alerts.id), { body: gallery('a.png') })),
    ).toEqual({
      status: 400,
      code: 50035,
    });
  });

  it('refuses more than 10 files, and a file past 10 MiB', async () => {
    allowFiles();
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `${i}.txt`, data: Buffer.from('x') }));
    expect(await refusal(() => post({ content: 'many' }, eleven))).toEqual({ status: 400, code: 50035 });
    const big = [{ name: 'big.bin', data: Buffer.alloc(10_485_761) }];
    expect(await refusal(() => post({ content: 'big' }, big))).toEqual({ status: 413, code: 40005 });
    expect(discord.messages(discord.alerts.id)).toEqual([]);
  });

  it('takes a message that is only a file', async () => {
    allowFiles();
    await post({}, [{ name: 'only.png', data: png }]);
    expect(discord.messages(discord.alerts.id)[0]?.attachments).toHaveLength(1);
  });
});

describe('files sent with an interaction callback', () => {
  it('go with the callback’s message: payload_json is the whole callback, { type, data }', async () => {
    await rest.put(Routes.applicationGuildCommands(discord.applicationId, discord.guild.id), {
      body: [{ name: 'chart', description: 'Chart', type: 1 }],
    });
    const command = discord.command('chart');
    const attachments = [{ id: 0, filename: 'a.png', description: 'alt' }];
    await rest.post(Routes.interactionCallback(command.id, command.token), {
      body: { type: 4, data: { ...gallery('a.png'), attachments } },
      files: [{ name: 'a.png', data: png }],
      auth: false,
    });
    const [attachment] = (await command.reply()).attachments;
    expect(attachment).toMatchObject({ filename: 'a.png', description: 'alt' });
    expect(attachmentBytes(attachment)?.equals(png)).toBe(true);
    // Without the file, the gallery names nothing the message carries.
    const bare = discord.command('chart');
    expect(
      await refusal(() =>
        rest.post(Routes.interactionCallback(bare.id, bare.token), {
          body: { type: 4, data: { ...gallery('a.png'), attachments } },
          auth: false,
        }),
      ),
    ).toEqual({ status: 400, code: 50035 });
  });
});
