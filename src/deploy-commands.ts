/**
 * `npm run deploy-commands`: registers the slash commands now, globally or in DISCORD_GUILD_ID,
 * whether or not they changed. Start-up does the same by itself when they change.
 */
import { COMMANDS } from '../commands/index.js';
import { loadConfig } from './config.js';
import { syncCommands } from './discord/sync-commands.js';
import { createLogger } from './log.js';
import { explainStartupFailure } from './startup-failure.js';
import { openStore } from './store/open-store.js';

let config: ReturnType<typeof loadConfig> | undefined;
try {
  config = loadConfig();
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
  // The same one line as `npm start` for the same causes; anything else as it came.
  const line =
    explainStartupFailure(error, { discordApiUrl: config?.discord.apiUrl }) ??
    (error instanceof Error ? error.message : String(error));
  console.error(`Flock cannot deploy commands: ${line}`);
  process.exitCode = 1;
}
