/**
 * Flock itself, started in-process against both emulators over real sockets: a real discord.js
 * client logged in to the Discord emulator, the real ky client talking to the X emulator, and a
 * real SQLite file. `restart()` stops the bot and starts a new one on the same store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Flock, type StartOptions, startFlock } from '../../src/app.js';
import { type Config, parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { DiscordUser } from '../emulators/discord/guilds.js';
import type { Message } from '../emulators/discord/interactions.js';
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/server.js';
import { emulatorEnv } from '../emulators/flock-env.js';
import { startXEmulator, type XEmulator } from '../emulators/x/server.js';
import { ManualClock } from './manual-clock.js';
import { WebClient } from './web-client.js';

export interface BotHarness {
  clock: ManualClock;
  x: XEmulator;
  discord: DiscordEmulator;
  config: Config;
  flock: Flock;
  /** Every log line Flock wrote, as JSON text. */
  logs: string[];
  dataDir: string;
  /** Stops Flock and starts it again on the same store; `meanwhile` runs while it is down. */
  restart(meanwhile?: () => void): Promise<void>;
  /**
   * Links `user` to the X account `xUserId` the way a browser would, without one: /link, the
   * start URL, Discord's consent as `user`, X's consent as `xUserId`. Returns the last page.
   */
  link(user: DiscordUser, xUserId: string): Promise<string>;
  close(): Promise<void>;
}

/** A port nothing listens on now, so PUBLIC_URL can be known before Flock starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startBot(
  env: Record<string, string> = {},
  options: Pick<StartOptions, 'webLimits' | 'alertStream' | 'insightsLeaseTtlMs'> = {},
): Promise<BotHarness> {
  const clock = new ManualClock();
  const x = await startXEmulator({ clock });
  const discord = await startDiscordEmulator();
  const publicUrl = `http://127.0.0.1:${await freePort()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'flock-bot-'));
  const config = parseConfig({
    ...emulatorEnv(discord, x, publicUrl),
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
    flock: await startFlock(config, { log, clock, autoPoll: false, ...options }),
    async link(user, xUserId) {
      const browser = new WebClient();
      const reply = await discord.command('link', {}, { user }).reply();
      const toDiscord = await browser.visit(linkButtonUrl(reply));
      const toX = await browser.visit(discord.approve(toDiscord.location ?? '', user));
      const page = await browser.visit(x.approve(toX.location ?? '', xUserId));
      return page.html;
    },
    async restart(meanwhile) {
      await harness.flock.stop();
      meanwhile?.();
      harness.flock = await startFlock(config, { log, clock, autoPoll: false, ...options });
    },
    async close() {
      await harness.flock.stop();
      await discord.close();
      await x.close();
      rmSync(dataDir, { recursive: true, force: true });
      // Nothing Flock sent may have broken one of Discord's limits. (OAuth2 answers 400 to a
      // refused code, which tests bring about on purpose.)
      expect(discord.rest.filter((r) => r.status === 400 && !r.path.includes('/oauth2/'))).toEqual([]);
    },
  };
  return harness;
}

/** The URL of the link button in a /link reply. */
export function linkButtonUrl(message: Message): string {
  const button = message.components
    .flatMap((row) => row.components as { url?: string }[])
    .find((b) => b.url !== undefined);
  if (!button?.url) throw new Error('no link button in the /link reply');
  return button.url;
}
