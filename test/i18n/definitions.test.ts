/**
 * Every slash command, subcommand, option and choice carries its words in each language Flock
 * speaks, and the list, translations and all, is one Discord accepts.
 */
import type { APIApplicationCommandOption } from 'discord.js';
import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { USER_OPTION } from '../../src/discord/user-option.js';
import { CATALOGUE_FOR, DISCORD_LOCALES } from '../../src/i18n/translate.js';
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/server.js';

const TRANSLATED = [...DISCORD_LOCALES.es, ...DISCORD_LOCALES.ja].sort();

interface Part {
  where: string;
  name_localizations?: Record<string, string | null> | null;
  description_localizations?: Record<string, string | null> | null;
  described: boolean;
}

/** The command, then each option (and each option of a subcommand), then each choice. */
function parts(where: string, options: readonly APIApplicationCommandOption[] | undefined): Part[] {
  return (options ?? []).flatMap((option) => [
    { ...option, where: `${where} ${option.name}`, described: true },
    ...('choices' in option ? (option.choices ?? []) : []).map((choice) => ({
      ...choice,
      where: `${where} ${option.name}=${choice.value}`,
      described: false,
    })),
    ...parts(`${where} ${option.name}`, 'options' in option ? option.options : undefined),
  ]);
}

/** The locales a map translates into, each with words in it. */
const locales = (map: Record<string, string | null> | null | undefined) =>
  Object.entries(map ?? {})
    .filter(([, text]) => typeof text === 'string' && text.trim() !== '')
    .map(([locale]) => locale)
    .sort();

let discord: DiscordEmulator | undefined;
afterEach(() => discord?.close());

describe('command definitions', () => {
  it.each(COMMANDS.map((c) => [c.data.name, c.data] as const))(
    '/%s is named and described in every language Flock speaks',
    (name, data) => {
      const all: Part[] = [
        { ...data, where: `/${name}`, described: true },
        ...parts(`/${name}`, data.options),
      ];
      for (const part of all) {
        expect(locales(part.name_localizations), `${part.where}: name`).toEqual(TRANSLATED);
        if (part.described)
          expect(locales(part.description_localizations), `${part.where}: description`).toEqual(TRANSLATED);
      }
    },
  );

  it('are named in English as the English catalogue names them', () => {
    const { options, ...commands } = CATALOGUE_FOR.en.commands;
    const defined = COMMANDS.map((c) => c.data.name);
    for (const { name } of Object.values(commands)) expect(defined).toContain(name);
    expect(USER_OPTION.name).toBe(options.user.name);
  });

  it('register on Discord as they are', async () => {
    discord = await startDiscordEmulator();
    const body = COMMANDS.map((c) => c.data);
    await new REST({ api: discord.apiUrl })
      .setToken(discord.token)
      .put(Routes.applicationCommands(discord.applicationId), { body });
    expect(discord.globalCommands.map((c) => c.name)).toEqual(body.map((c) => c.name));
    expect(discord.globalCommands.map((c) => c.name_localizations)).toEqual(
      body.map((c) => c.name_localizations),
    );
  });
});
