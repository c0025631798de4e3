/**
 * The Discord emulator holds files to the interaction's `attachment_size_limit`, as Discord does:
 * a follow-up through the interaction's webhook with a file past it is refused (413, 40005) and
 * nothing is posted; one at the limit goes through.
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileSizes } from './discord/attachment-limit.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;
let rest: REST;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token);
  await rest.put(Routes.applicationGuildCommands(discord.applicationId, discord.guild.id), {
    body: [{ name: 'files', description: 'Sends files' }],
  });
});
afterEach(() => discord.close());

async function deferred() {
  const interaction = discord.command('files');
  await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type: 5, data: { flags: 64 } },
    auth: false,
  });
  await rest.patch(Routes.webhookMessage(discord.applicationId, interaction.token, '@original'), {
    body: { content: 'here they come' },
    auth: false,
  });
  return interaction;
}

const followUp = (token: string, size: number) =>
  rest.post(Routes.webhook(discord.applicationId, token), {
    body: { content: 'a file', attachments: [{ id: 0, filename: 'list.csv' }] },
    files: [{ name: 'list.csv', data: Buffer.alloc(size, 'a'), contentType: 'text/csv' }],
    auth: false,
  });

describe('attachment_size_limit', () => {
  it('is sent with each interaction, and a file past it is refused with 40005', async () => {
    discord.attachmentSizeLimit = 4096;
    const interaction = await deferred();
    expect(interaction.payload.attachment_size_limit).toBe(4096);
    const refused = await followUp(interaction.token, 4097).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).status).toBe(413);
    expect((refused as DiscordAPIError).code).toBe(40005);
    expect(interaction.followups).toEqual([]);

    await followUp(interaction.token, 4096);
    expect(interaction.followups).toHaveLength(1);
    expect(interaction.followups[0]?.attachments).toMatchObject([{ filename: 'list.csv', size: 4096 }]);
  });

  it('defaults to Discord’s 10 MiB', async () => {
    const interaction = await deferred();
    expect(interaction.payload.attachment_size_limit).toBe(10_485_760);
  });

  it('measures each file part of a multipart body', () => {
    const body = Buffer.from(
      [
        '--b',
        'Content-Disposition: form-data; name="payload_json"',
        '',
        '{"content":"x"}',
        '--b',
        'Content-Disposition: form-data; name="files[0]"; filename="a.csv"',
        'Content-Type: text/csv',
        '',
        'id,name\r\n1,a',
        '--b--',
        '',
      ].join('\r\n'),
    );
    expect(fileSizes('multipart/form-data; boundary=b', body)).toEqual([12]);
    expect(fileSizes('application/json', body)).toEqual([]);
  });
});
