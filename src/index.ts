/**
 * `npm start`: reads the configuration, starts Flock, and stops it cleanly on SIGINT/SIGTERM.
 * A configuration or start-up problem the operator can fix ends start-up with its one line and
 * exit code 1.
 */
import { startFlock } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { explainStartupFailure } from './startup-failure.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  const line = explainStartupFailure(error);
  if (line === undefined) throw error;
  console.error(`Flock cannot start: ${line}`);
  process.exit(1);
}

// Several processes may run side by side: every line says which shards this one serves.
const log = createLogger({ level: config.logLevel, context: { shard: config.discord.shards.ids } });
const starting = startFlock(config, { log }).catch((error: unknown) => {
  // Reasons an operator can act on are one line; anything else is logged whole.
  const line = explainStartupFailure(error, { discordApiUrl: config.discord.apiUrl, port: config.web.port });
  if (line !== undefined) console.error(`Flock cannot start: ${line}`);
  else log.error('start-up failed', { error });
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  // A signal during start-up waits for it, then stops what it opened: never a half-started exit.
  const flock = await starting;
  await flock.stop();
  process.exit(0);
}
// Listening before start-up ends: a SIGTERM meanwhile would otherwise end the process at once.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
await starting;
