/**
 * Registers the slash commands with Discord when their definitions changed since the last
 * registration (a hash kept in the store), so a restart costs no command writes: Discord allows
 * 200 command creates a day per guild. The hash is of the whole body Discord gets, translations
 * included, so a changed catalogue is registered too. DISCORD_GUILD_ID registers them in one
 * guild, instantly.
 */
import { createHash } from 'node:crypto';
import { REST, Routes } from 'discord.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import type { Command } from './command.js';

export interface SyncOptions {
  token: string;
  apiUrl: string | undefined;
  applicationId: string;
  guildId: string | undefined;
  commands: readonly Command[];
  store: Store;
  log: Logger;
  /** Register even when the hash says nothing changed. */
  force?: boolean;
}

export async function syncCommands(options: SyncOptions): Promise<'registered' | 'unchanged'> {
  const body = options.commands.map((c) => c.data);
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const scope = options.guildId ? `guild:${options.guildId}` : 'global';
  const hashes = options.store.namespace<string>('command-hashes');
  const key = `${options.applicationId}:${scope}`;
  if (!options.force && (await hashes.get(key)) === hash) {
    options.log.debug('slash commands unchanged', { scope });
    return 'unchanged';
  }
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  await rest.put(route, { body });
  await hashes.set(key, hash);
  options.log.info('slash commands registered', { scope, count: body.length });
  return 'registered';
}
