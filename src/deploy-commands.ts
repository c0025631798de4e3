/**
 * `npm run deploy-commands`: registers the slash commands now, globally or in DISCORD_GUILD_ID,
 * whether or not they changed. Start-up does the same by itself when they change.
 */
import { COMMANDS } from '../commands/index.js';
import { loadConfig } from './config.js';
import { syncCommands } from './discord/sync-commands.js';
import { createLogger } from './log.js';
import { openStore } from './store/open-store.js';

try {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  const store = await openStore(config.store.url);
  await syncCommands({
    token: config.discord.token,
    apiUrl: config.discord.apiUrl,
    applicationId: config.discord.applicationId,
    guildId: config.discord.guildId,
    commands: COMMANDS,
    store,
    log,
    force: true,
  });
  await store.close();
  console.warn(
    `Registered ${COMMANDS.length} commands ${config.discord.guildId ? `in guild ${config.discord.guildId}` : 'globally'}.`,
  );
} catch (error) {
  console.error(`Cannot deploy commands: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
