/**
 * Registers the slash commands with Discord when their definitions changed since the last
 * registration (a hash kept in the store), so a restart costs no command writes: Discord allows
 * 200 command creates a day per guild. The hash is of the whole body Discord gets, translations
 * included, so a changed catalogue is registered too. DISCORD_GUILD_ID registers them in one
 * guild, instantly. What Discord answers gives each command's id, kept beside the hash, so replies
 * can mention commands (`</link:id>`, shown in the reader's language and clickable) after any start.
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

export interface Synced {
  status: 'registered' | 'unchanged';
  /** Each registered command's id, by name. */
  ids: ReadonlyMap<string, string>;
}

export async function syncCommands(options: SyncOptions): Promise<Synced> {
  const body = options.commands.map((c) => c.data);
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const scope = options.guildId ? `guild:${options.guildId}` : 'global';
  const hashes = options.store.namespace<string>('command-hashes');
  const idsKept = options.store.namespace<Record<string, string>>('command-ids');
  const key = `${options.applicationId}:${scope}`;
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const keep = async (registered: unknown) => {
    const ids = idsOf(registered);
    await idsKept.set(key, Object.fromEntries(ids));
    return ids;
  };
  if (!options.force && (await hashes.get(key)) === hash) {
    options.log.debug('slash commands unchanged', { scope });
    const kept = await idsKept.get(key);
    // Registered by a Flock that did not keep the ids: one read of the list, once.
    return {
      status: 'unchanged',
      ids: kept ? new Map(Object.entries(kept)) : await keep(await rest.get(route)),
    };
  }
  const ids = await keep(await rest.put(route, { body }));
  await hashes.set(key, hash);
  options.log.info('slash commands registered', { scope, count: body.length });
  return { status: 'registered', ids };
}

/** Names to ids in Discord's answer (a list of application commands). */
function idsOf(registered: unknown): Map<string, string> {
  const ids = new Map<string, string>();
  if (!Array.isArray(registered)) return ids;
  for (const command of registered as { id?: unknown; name?: unknown }[])
    if (typeof command.id === 'string' && typeof command.name === 'string') ids.set(command.name, command.id);
  return ids;
}
