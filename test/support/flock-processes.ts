/**
 * Several real Flock processes on one Redis, as an operator runs them: each is `src/index.ts`
 * under Node with tsx (what `npm start` runs), its own PORT and PUBLIC_URL, SHARD_IDS of
 * SHARD_COUNT, in a process group of its own so a test can SIGKILL or SIGTERM it by pid. The X
 * and Discord emulators run in the test process; Redis is a database claimed for the test, or a
 * redis-server the test owns. Every JSON log line of every process is kept. `close()` kills what
 * is still running, closes the emulators and releases the database, whatever happened before.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, Guild } from '../emulators/discord/guilds.js';
import type { Interaction } from '../emulators/discord/interactions.js';
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/server.js';
import { emulatorEnv } from '../emulators/flock-env.js';
import { startXEmulator, type XEmulator, type XEmulatorOptions } from '../emulators/x/server.js';
import { claimRedisDb } from './redis.js';
import { freePort } from './redis-server.js';

const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
/** A process that ignores SIGTERM this long is killed. */
const STOP_GRACE_MS = 12_000;

/** What /healthz answers, per the several-processes contract. */
export interface FlockHealth {
  ok: boolean;
  shards: { id: number; status: string }[];
  store?: string;
  roles?: string[];
}

export type LogLine = Record<string, unknown> & { message?: string; level?: string };

/** Children still running, killed when the test process exits without closing its cluster. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // detached: the child leads its own group, so the group id is its pid.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export class FlockProcess {
  /** Parsed JSON log lines, oldest first. */
  readonly lines: LogLine[] = [];
  /** Lines that were not JSON (a start-up refusal, a crash's stack). */
  readonly text: string[] = [];
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;

  constructor(
    readonly name: string,
    readonly shardIds: readonly number[],
    readonly port: number,
    env: Record<string, string>,
    cwd: string,
  ) {
    this.#child = spawn(process.execPath, ['--import', TSX, ENTRY], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.#child);
    this.exit = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => {
        running.delete(this.#child);
        resolve({ code, signal });
      }),
    );
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) this.#keep(part);
      });
      stream?.on('end', () => this.#keep(rest));
    }
  }

  #keep(line: string): void {
    if (!line.trim()) return;
    try {
      this.lines.push(JSON.parse(line) as LogLine);
    } catch {
      this.text.push(line);
    }
  }

  get pid(): number {
    if (this.#child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.#child.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Sends `signal` to the process's group (the process itself; it starts no others). */
  signal(signal: 'SIGKILL' | 'SIGTERM'): void {
    killGroup(this.#child, signal);
  }

  /** /healthz as JSON, or undefined while nothing answers on the port. */
  async health(): Promise<FlockHealth | undefined> {
    try {
      const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      return (await res.json()) as FlockHealth;
    } catch {
      return undefined;
    }
  }

  async roles(): Promise<string[]> {
    return this.running ? ((await this.health())?.roles ?? []) : [];
  }

  /** Whether this process logged anything about the interaction (the router logs each one it takes). */
  handled(interaction: Interaction): boolean {
    return this.lines.some((l) => l.interactionId === interaction.id);
  }

  /** Stops it with SIGTERM (SIGKILL after a grace), and waits for the exit. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), STOP_GRACE_MS);
    await this.exit;
    clearTimeout(timer);
  }

  /** The last warnings, errors and non-JSON lines, for a failure message. */
  summary(max = 15): string {
    const notable = this.lines
      .filter((l) => l.level === 'warn' || l.level === 'error')
      .map((l) => JSON.stringify(l).slice(0, 400));
    const state = this.running ? 'running' : `exited (${this.#child.exitCode ?? this.#child.signalCode})`;
    return [
      `${this.name} pid ${this.#child.pid} shards ${this.shardIds.join(',')} ${state}`,
      ...[...notable, ...this.text].slice(-max).map((l) => `  ${l}`),
    ].join('\n');
  }
}

/** A guild on one shard, with the channels the tests use. */
export interface ShardGuild {
  guild: Guild;
  shard: number;
  general: Channel;
  /** The first of `alertChannels`. */
  alerts: Channel;
  alertChannels: Channel[];
}

export interface ClusterOptions {
  shardCount: number;
  /** SHARD_IDS of each process to start, e.g. `[[0], [1], [2]]`. */
  processes: number[][];
  /** Guilds made on each shard before anyone connects (default 1). */
  guildsPerShard?: number;
  /** Channels for alerts in each guild (default 1): Discord paces each channel at 5 messages in 5 s. */
  alertChannels?: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  x?: XEmulatorOptions;
  /** A Redis the test owns (`redis://host:port/db`); otherwise a database of the run's Redis is claimed. */
  storeUrl?: string;
}

export interface FlockCluster {
  discord: DiscordEmulator;
  x: XEmulator;
  storeUrl: string;
  /** Every process started, in order, dead ones included. */
  processes: FlockProcess[];
  /** `guilds[shard]`: the guilds Discord routes to that shard. */
  guilds: ShardGuild[][];
  /** Flock's tag on its Activity subscriptions at X. */
  tag: string;
  /** Starts one more process and waits until it serves its shards. */
  start(shardIds: number[], env?: Record<string, string>): Promise<FlockProcess>;
  /** The processes that answered or logged about this interaction. */
  handlers(interaction: Interaction): FlockProcess[];
  /** Running processes whose /healthz lists `role`. */
  holders(role: string): Promise<FlockProcess[]>;
  /** Warnings and errors of every process, for a failure message. */
  summary(): string;
  close(): Promise<void>;
}

/**
 * Starts the emulators, makes the guilds, and starts the processes (in parallel), resolving
 * once each answers /healthz with its shards ready and the commands are registered.
 */
export async function startCluster(options: ClusterOptions): Promise<FlockCluster> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    let storeUrl = options.storeUrl;
    if (!storeUrl) {
      const db = await claimRedisDb();
      cleanups.push(() => db.release());
      storeUrl = db.url;
    }
    const x = await startXEmulator(options.x);
    cleanups.push(() => x.close());
    const discord = await startDiscordEmulator();
    cleanups.push(() => discord.close());
    const guilds = Array.from({ length: options.shardCount }, (_, shard) =>
      Array.from({ length: options.guildsPerShard ?? 1 }, (_, n) => {
        const guild = discord.addGuild(`Shard ${shard} guild ${n}`, discord.owner, {
          shard: [shard, options.shardCount],
        });
        const general = guild.addChannel('general');
        guild.systemChannelId = general.id;
        const alertChannels = Array.from({ length: options.alertChannels ?? 1 }, (_, k) =>
          guild.addChannel(k === 0 ? 'alerts' : `alerts-${k}`),
        );
        return { guild, shard, general, alerts: alertChannels[0] as Channel, alertChannels };
      }),
    );
    const key = randomBytes(32).toString('base64');
    const processes: FlockProcess[] = [];
    const dirs: string[] = [];
    cleanups.push(() => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });
    cleanups.push(() => Promise.all(processes.map((p) => killAndWait(p))));
    // FLOCK_TEST_LOGS=<folder> keeps every process's log there, to read after a failure.
    const keepLogs = process.env.FLOCK_TEST_LOGS;
    if (keepLogs)
      cleanups.push(() => {
        const dir = join(keepLogs, `${Date.now()}`);
        mkdirSync(dir, { recursive: true });
        for (const p of processes)
          writeFileSync(
            join(dir, `${p.name}.log`),
            [...p.lines.map((l) => JSON.stringify(l)), ...p.text].join('\n'),
          );
        writeFileSync(join(dir, 'x-requests.log'), x.log.map((e) => JSON.stringify(e)).join('\n'));
        writeFileSync(join(dir, 'x-events.log'), x.activity.events.map((e) => JSON.stringify(e)).join('\n'));
      });

    const launch = async (shardIds: number[], env: Record<string, string> = {}) => {
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      const cwd = mkdtempSync(join(tmpdir(), 'flock-proc-'));
      dirs.push(cwd);
      const proc = new FlockProcess(
        `flock-${processes.length + 1}`,
        shardIds,
        port,
        {
          // Commands registered globally: each shard's guilds are served by its own process.
          ...emulatorEnv(discord, x, publicUrl, { guild: false }),
          STORE_URL: storeUrl,
          // One key for all: any process must read the tokens another one stored.
          TOKEN_ENCRYPTION_KEY: key,
          SHARD_COUNT: String(options.shardCount),
          SHARD_IDS: shardIds.join(','),
          LOG_LEVEL: 'debug',
          ...options.env,
          ...env,
        },
        cwd,
      );
      processes.push(proc);
      await serving(proc, discord);
      return proc;
    };
    await Promise.all(options.processes.map((ids) => launch(ids)));

    return {
      discord,
      x,
      storeUrl,
      processes,
      guilds,
      tag: `flock:${discord.applicationId}`,
      start: launch,
      handlers: (interaction) => processes.filter((p) => p.handled(interaction)),
      async holders(role) {
        const held = await Promise.all(processes.map(async (p) => (await p.roles()).includes(role)));
        return processes.filter((_, i) => held[i]);
      },
      summary: () => processes.map((p) => p.summary()).join('\n'),
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function killAndWait(proc: FlockProcess): Promise<void> {
  proc.signal('SIGKILL');
  await Promise.race([proc.exit, sleep(5_000)]);
}

/** Resolves once the process serves its shards and Discord knows Flock's commands. */
async function serving(proc: FlockProcess, discord: DiscordEmulator, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: FlockHealth | undefined;
  for (;;) {
    if (!proc.running) throw new Error(`${proc.name} exited while starting:\n${proc.summary(30)}`);
    last = await proc.health();
    const shardsReady =
      last !== undefined &&
      proc.shardIds.every((id) => last?.shards.some((s) => s.id === id && s.status === 'ready'));
    if (shardsReady && discord.globalCommands.length > 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${proc.name} did not serve its shards within ${timeoutMs} ms; /healthz: ${JSON.stringify(last)}\n${proc.summary(30)}`,
      );
    await sleep(200);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `probe` until `done` holds for its value; rejects after `timeoutMs` naming `what` and the
 * last value seen.
 */
export async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 600)}`,
      );
    await sleep(intervalMs);
  }
}
