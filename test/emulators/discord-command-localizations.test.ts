/**
 * The Discord emulator refuses the translations Discord refuses in a command registration, with
 * Discord's 400 50035 and its errors tree, and keeps the ones it accepts.
 */
import { Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';

let discord: DiscordEmulator;

beforeEach(async () => {
  discord = await startDiscordEmulator();
});
afterEach(() => discord.close());

async function register(body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${discord.apiUrl}/v10${Routes.applicationCommands(discord.applicationId)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bot ${discord.token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const refused = (errors: unknown) => ({
  status: 400,
  body: { code: 50035, message: 'Invalid Form Body', errors },
});
const fault = (code: string) => ({
  _errors: [expect.objectContaining({ code, message: expect.any(String) })],
});

const option = (extra: Record<string, unknown> = {}) => ({
  type: 3,
  name: 'user',
  description: 'An X account',
  ...extra,
});
const command = (extra: Record<string, unknown> = {}) => ({
  name: 'followers',
  description: "Browse an X account's followers",
  ...extra,
});

describe('command translations on the Discord emulator', () => {
  it('keeps valid translations: Japanese names, both Spanish locales, choices', async () => {
    const body = [
      command({
        name_localizations: { ja: 'フォロワー', 'es-ES': 'seguidores', 'es-419': 'seguidores' },
        description_localizations: {
          ja: 'X アカウントのフォロワーを表示します',
          'es-419': 'Explora los seguidores',
        },
        options: [
          option({
            name_localizations: { ja: 'アカウント', 'es-ES': 'cuenta' },
            choices: [{ name: 'New', value: 'new', name_localizations: { ja: '新しいフォロワー' } }],
          }),
        ],
      }),
      command({ name: 'following', name_localizations: { ja: 'フォロー中' } }),
    ];
    const answer = await register(body);
    expect(answer.status).toBe(200);
    expect(discord.globalCommands.map((c) => c.name_localizations)).toEqual([
      { ja: 'フォロワー', 'es-ES': 'seguidores', 'es-419': 'seguidores' },
      { ja: 'フォロー中' },
    ]);
    expect(discord.globalCommands[0]?.options?.[0]).toMatchObject({
      name_localizations: { ja: 'アカウント' },
      choices: [{ name_localizations: { ja: '新しいフォロワー' } }],
    });
  });

  it('refuses a key that is not one of Discord’s locales', async () => {
    const answer = await register([
      command({ description_localizations: { es: 'Explora', ja: 'フォロワー' } }),
    ]);
    expect(answer).toEqual(refused({ 0: { description_localizations: { es: fault('BASE_TYPE_CHOICES') } } }));
    const choices = await register([
      command({
        options: [option({ choices: [{ name: 'New', value: 'n', name_localizations: { pt_BR: 'Novo' } }] })],
      }),
    ]);
    expect(choices).toEqual(
      refused({
        0: {
          options: { 0: { choices: { 0: { name_localizations: { pt_BR: fault('BASE_TYPE_CHOICES') } } } } },
        },
      }),
    );
    expect(discord.globalCommands).toEqual([]);
  });

  it('refuses a command name translated into something that is not a name, on the whole map', async () => {
    for (const name of ['dejar de seguir', 'Seguidores', '', 'ｆ'.repeat(33)]) {
      const answer = await register([command({ name_localizations: { 'es-ES': name, ja: 'フォロワー' } })]);
      expect(answer, name).toEqual(
        refused({ 0: { name_localizations: fault('APPLICATION_COMMAND_INVALID_NAME') } }),
      );
    }
  });

  it('refuses an option name translated into something that is not a name, on its locale', async () => {
    const answer = await register([
      command({ options: [option({ name_localizations: { 'es-419': 'Cuenta' } })] }),
    ]);
    expect(answer).toEqual(
      refused({
        0: {
          options: { 0: { name_localizations: { 'es-419': fault('APPLICATION_COMMAND_INVALID_NAME') } } },
        },
      }),
    );
  });

  it('refuses two commands shown with the same name in one locale', async () => {
    const clash = await register([
      command({ name_localizations: { ja: 'フォロー' } }),
      command({ name: 'follow', name_localizations: { ja: 'フォロー' } }),
    ]);
    expect(clash).toEqual(
      refused({ 1: { name_localizations: { ja: fault('APPLICATION_COMMANDS_DUPLICATE_NAME') } } }),
    );
    // A translation may not take a neighbour's untranslated name either.
    const taken = await register([
      command({ name_localizations: { 'es-ES': 'follow' } }),
      command({ name: 'follow' }),
    ]);
    expect(taken).toEqual(
      refused({ 0: { name_localizations: { 'es-ES': fault('APPLICATION_COMMANDS_DUPLICATE_NAME') } } }),
    );
  });

  it('refuses two options of a command shown with the same name in one locale', async () => {
    const answer = await register([
      command({
        options: [
          option({ name_localizations: { 'es-ES': 'cuenta' } }),
          option({ name: 'account', name_localizations: { 'es-ES': 'cuenta' } }),
        ],
      }),
    ]);
    expect(answer).toEqual(
      refused({
        0: {
          options: {
            1: { name_localizations: { 'es-ES': fault('APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS') } },
          },
        },
      }),
    );
  });

  it('refuses a translated description outside 1–100 characters, and keeps 100', async () => {
    for (const text of ['', 'あ'.repeat(101)]) {
      const top = await register([command({ description_localizations: { ja: text } })]);
      expect(top).toEqual(
        refused({ 0: { description_localizations: { ja: fault('BASE_TYPE_BAD_LENGTH') } } }),
      );
      const inOption = await register([
        command({ options: [option({ description_localizations: { 'es-ES': text } })] }),
      ]);
      expect(inOption).toEqual(
        refused({
          0: { options: { 0: { description_localizations: { 'es-ES': fault('BASE_TYPE_BAD_LENGTH') } } } },
        }),
      );
    }
    expect((await register([command({ description_localizations: { ja: 'あ'.repeat(100) } })])).status).toBe(
      200,
    );
  });

  it('refuses a choice name, or its translation, outside 1–100 characters', async () => {
    const long = 'n'.repeat(101);
    const answer = await register([
      command({
        options: [
          option({
            choices: [
              { name: long, value: 'a' },
              { name: 'Fine', value: 'b', name_localizations: { 'es-ES': long } },
              { name: 'Fine too', value: 'c', name_localizations: { ja: '' } },
            ],
          }),
        ],
      }),
    ]);
    expect(answer).toEqual(
      refused({
        0: {
          options: {
            0: {
              choices: {
                0: { name: fault('BASE_TYPE_BAD_LENGTH') },
                1: { name_localizations: { 'es-ES': fault('BASE_TYPE_BAD_LENGTH') } },
                2: { name_localizations: { ja: fault('BASE_TYPE_BAD_LENGTH') } },
              },
            },
          },
        },
      }),
    );
  });
});
