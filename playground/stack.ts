/**
 * Everything the playground runs, in this one process: the X emulator with the demo accounts,
 * the Discord emulator with a member and a moderator, and Flock itself wired to both over real
 * sockets on 127.0.0.1, with its store in a temporary folder that `close()` removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Flock, startFlock } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger, type LogLevel } from '../src/log.js';
import { type DiscordUser, PERMISSIONS } from '../test/emulators/discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from '../test/emulators/discord/server.js';
import { emulatorEnv } from '../test/emulators/flock-env.js';
import { seedDemo, startNewFollowers } from '../test/emulators/x/seed.js';
import { startXEmulator, type XEmulator } from '../test/emulators/x/server.js';
import type { EmuUser } from '../test/emulators/x/world.js';

export interface StackOptions {
  /** Followers of @flockdemo at start. */
  followers: number;
  /** A new follower of @flockdemo this often (0: never), so that alerts have something to say. */
  newFollowerEveryMs: number;
  /** Flock's own log lines at this level and above go to stderr. */
  logLevel: LogLevel;
}

/** A demo Discord user and what the page calls them. */
export interface Person {
  user: DiscordUser;
  role: 'member' | 'moderator';
}

export interface Stack {
  discord: DiscordEmulator;
  x: XEmulator;
  flock: Flock;
  people: Person[];
  /** The X accounts the page offers to sign in to X's consent page as. */
  xAccounts: EmuUser[];
  /** Where Flock's store lives while the playground runs. */
  dataDir: string;
  close(): Promise<void>;
}

/** A port nothing listens on now: Flock's PUBLIC_URL must be known before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const closers: (() => unknown)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'flock-playground-'));
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const x = await startXEmulator();
    closers.push(() => x.close());
    const { star, fans } = seedDemo(x, options.followers);
    if (options.newFollowerEveryMs > 0) closers.push(startNewFollowers(x, star, options.newFollowerEveryMs));
    const locked = [...x.world.users.values()].find((u) => u.username === 'locked_lena');
    const xAccounts = [fans[0], star, locked].filter((u): u is EmuUser => u !== undefined);

    const discord = await startDiscordEmulator();
    closers.push(() => discord.close());
    const people: Person[] = [
      { user: discord.addUser('mia'), role: 'member' },
      { user: discord.addUser('max', { permissions: PERMISSIONS.ManageGuild }), role: 'moderator' },
    ];

    const config = parseConfig({
      ...emulatorEnv(discord, x, `http://127.0.0.1:${await freePort()}`),
      // Flock's own web server (the link pages) on loopback, as the rest of the playground.
      HOST: '127.0.0.1',
      STORE_URL: `sqlite://${join(dataDir, 'flock.sqlite')}`,
      // The shortest Flock allows: accounts the Activity stream does not serve are polled this often.
      ALERTS_INTERVAL_SECONDS: '15',
      LOG_LEVEL: options.logLevel,
    });
    const log = createLogger({ level: options.logLevel });
    const flock = await startFlock(config, { log });
    closers.push(() => flock.stop());
    return { discord, x, flock, people, xAccounts, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
