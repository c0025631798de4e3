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
    expect(await sync(COMMANDS)).toBe('registered');
    expect(await sync(COMMANDS)).toBe('unchanged');
    expect(puts()).toBe(1);
  });

  it('registers again when only a translation changed', async () => {
    await sync(COMMANDS);
    const text = 'Lo que Flock sabe hacer y lo que guarda sobre ti';
    expect(await sync(retranslated('es-419', text))).toBe('registered');
    expect(puts()).toBe(2);
    const help = discord.guildCommands.get(discord.guild.id)?.find((c) => c.name === 'help');
    expect(help?.description_localizations).toMatchObject({ 'es-419': text });
    expect(await sync(retranslated('es-419', text))).toBe('unchanged');
  });
});
