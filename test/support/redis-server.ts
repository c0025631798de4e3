/**
 * A throwaway redis-server (from PATH) for tests: a free port on 127.0.0.1, no persistence, a
 * temporary folder, stopped by its pid. Also a PING over a bare socket, to see whether a Redis
 * answers somewhere without a client library.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** Resolves true when something at host:port answers PING with PONG within `timeoutMs`. */
export function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts redis-server and resolves once it answers PING. On a port of the caller's choosing
 * (to restart one in the same place), or else on a free one, retried if another process took
 * it in between.
 */
export async function startRedisServer(
  options: {
    port?: number;
    /** Keep data in this folder with the append-only file on, so a restart finds it again. */
    persistIn?: string;
  } = {},
): Promise<RedisServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    try {
      return await startOn(port, options.persistIn);
    } catch (error) {
      if (options.port !== undefined || attempt === 3 || (error as { code?: string }).code === 'ENOENT')
        throw error;
    }
  }
}

async function startOn(port: number, persistIn: string | undefined): Promise<RedisServer> {
  const dir = persistIn ?? (await mkdtemp(join(tmpdir(), 'flock-redis-')));
  // biome-ignore format: one flag and its value a line
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', persistIn ? 'yes' : 'no',
    '--appendfsync', 'always',
    '--dir', dir,
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? Object.assign(
              new Error('redis-server is not installed: run `sh scripts/ensure-redis.sh` or set REDIS_URL.'),
              { code: 'ENOENT' },
            )
          : error,
      ),
    );
    child.once('exit', (code, signal) =>
      resolve(new Error(`redis-server on port ${port} exited (${signal ?? code}): ${output.trim()}`)),
    );
  });
  const stop = once(async () => {
    await stopChild(child);
    // A folder the caller gave is theirs: the data in it is the point.
    if (!persistIn) await rm(dir, { recursive: true, force: true });
  });
  const failure = await Promise.race([exited, waitForPing(port).then(() => undefined)]);
  if (failure) {
    await stop();
    throw failure;
  }
  if (child.pid === undefined) throw new Error('redis-server started without a pid');
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop };
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await pingRedis('127.0.0.1', port, 500))) {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
