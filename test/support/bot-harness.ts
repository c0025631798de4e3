/**
 * Flock itself, started in-process against both emulators over real sockets: a real discord.js
 * client logged in to the Discord emulator, the real ky client talking to the X emulator, and a
 * real SQLite file. `restart()` stops the bot and starts a new one on the same store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Flock, startFlock } from '../../src/app.js';
import { type Config, parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/server.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from '../emulators/x/server.js';
import { ManualClock } from './manual-clock.js';

export interface BotHarness {
  clock: ManualClock;
  x: XEmulator;
  discord: DiscordEmulator;
  config: Config;
  flock: Flock;
  /** Every log line Flock wrote, as JSON text. */
  logs: string[];
  dataDir: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startBot(env: Record<string, string> = {}): Promise<BotHarness> {
  const clock = new ManualClock();
  const x = await startXEmulator({ clock });
  const discord = await startDiscordEmulator();
  const dataDir = mkdtempSync(join(tmpdir(), 'flock-bot-'));
  const config = parseConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_ID: discord.guild.id,
    X_BEARER_TOKEN: DEFAULT_BEARER,
    X_CLIENT_ID: DEFAULT_CLIENT_ID,
    X_API_URL: x.url,
    X_AUTHORIZE_URL: x.authorizeUrl,
    PORT: '0',
    STORE_URL: `sqlite://${join(dataDir, 'flock.sqlite')}`,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const harness: BotHarness = {
    clock,
    x,
    discord,
    config,
    logs,
    dataDir,
    flock: await startFlock(config, { log, clock }),
    async restart() {
      await harness.flock.stop();
      harness.flock = await startFlock(config, { log, clock });
    },
    async close() {
      await harness.flock.stop();
      await discord.close();
      await x.close();
      rmSync(dataDir, { recursive: true, force: true });
      // Nothing Flock sent may have broken one of Discord's limits.
      expect(discord.rest.filter((r) => r.status === 400)).toEqual([]);
    },
  };
  return harness;
}
