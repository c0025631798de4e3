/**
 * The command sync registers again when anything Discord shows changed, a translation included,
 * and only then: a restart with the same definitions costs no command writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import type { Command } from '../../src/discord/command.js';
import { syncCommands } from '../../src/discord/sync-commands.js';
import { createLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/server.js';

let dir: string;
let store: Store;
let discord: DiscordEmulator;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flock-sync-'));
  store = await openStore(`sqlite://${join(dir, 'flock.sqlite')}`);
  discord = await startDiscordEmulator();
});
afterEach(async () => {
  await discord.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sync = (commands: readonly Command[]) =>
  syncCommands({
    token: discord.token,
    apiUrl: discord.apiUrl,
    applicationId: discord.applicationId,
    guildId: discord.guild.id,
    commands,
    store,
    log: createLogger({ level: 'error', write: () => {} }),
  });

const puts = () => discord.rest.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands')).length;
const gets = () => discord.rest.filter((r) => r.method === 'GET' && r.path.endsWith('/commands')).length;
const discordIds = () =>
  (discord.guildCommands.get(discord.guild.id) ?? []).map((c) => [c.name, c.id] as [string, string]);

/** The commands with one translation of /help's description changed, as a new catalogue would give. */
function retranslated(locale: 'es-ES' | 'es-419' | 'ja', text: string): Command[] {
  return COMMANDS.map((command) =>
    command.data.name === 'help'
      ? {
          ...command,
          data: {
            ...command.data,
            description_localizations: { ...command.data.description_localizations, [locale]: text },
          },
        }
      : command,
  );
}

describe('the command sync', () => {
  it('registers once, then not again while nothing changed', async () => {
    expect((await sync(COMMANDS)).status).toBe('registered');
    expect((await sync(COMMANDS)).status).toBe('unchanged');
    expect(puts()).toBe(1);
  });

  it('knows each command’s id, also when it registered nothing, asking Discord at most once', async () => {
    const registered = new Map(discordIds());
    const first = await sync(COMMANDS);
    expect([...first.ids.keys()].sort()).toEqual(COMMANDS.map((c) => c.data.name).sort());
    expect(first.ids).toEqual(new Map(discordIds()));
    expect(registered.size).toBe(0);
    expect((await sync(COMMANDS)).ids).toEqual(first.ids);
    expect(gets()).toBe(0);
    // Registered by a Flock that kept no ids: the list is read once, then kept.
    await store.namespace('command-ids').clear();
    expect((await sync(COMMANDS)).ids).toEqual(first.ids);
    expect((await sync(COMMANDS)).ids).toEqual(first.ids);
    expect(gets()).toBe(1);
  });

  it('registers again when only a translation changed', async () => {
    await sync(COMMANDS);
    const text = 'Lo que Flock sabe hacer y lo que guarda sobre ti';
    expect((await sync(retranslated('es-419', text))).status).toBe('registered');
    expect(puts()).toBe(2);
    const help = discord.guildCommands.get(discord.guild.id)?.find((c) => c.name === 'help');
    expect(help?.description_localizations).toMatchObject({ 'es-419': text });
    expect((await sync(retranslated('es-419', text))).status).toBe('unchanged');
  });
});
