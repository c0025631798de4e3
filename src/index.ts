/**
 * `npm start`: reads the configuration, starts Flock, and stops it cleanly on SIGINT/SIGTERM.
 * A configuration or start-up problem the operator can fix ends start-up with its one line and
 * exit code 1.
 */
import { startFlock } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { StartupError } from './startup-error.js';
import { StoreError } from './store/open-store.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Flock cannot start: ${error.message}`);
  process.exit(1);
}

// Several processes may run side by side: every line says which shards this one serves.
const log = createLogger({ level: config.logLevel, context: { shard: config.discord.shards.ids } });
const flock = await startFlock(config, { log }).catch((error: unknown) => {
  // Reasons written for the operator are printed as they are; anything else is logged whole.
  if (error instanceof StartupError || error instanceof StoreError)
    console.error(`Flock cannot start: ${error.message}`);
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
  await flock.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
