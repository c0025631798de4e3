/** `npm run emulator:x` as a person types it: options with or without `--`, and a port in use. */
import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

const children: ChildProcess[] = [];
afterEach(() => {
  // The whole group: npm does not always pass SIGTERM on, and the emulator under it (tsx, then
  // node) would outlive the test run.
  for (const child of children.splice(0)) {
    if (child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

function npmRun(args: string[]) {
  const child = spawn('npm', ['run', '--silent', 'emulator:x', ...args], {
    cwd: new URL('../..', import.meta.url).pathname,
    // A process group of its own, so afterEach can end everything npm started.
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { output: () => output, exit };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run emulator:x', () => {
  it('takes --port with or without the `--` npm wants, and as --port=N', async () => {
    for (const args of [
      (port: number) => ['--', '--port', String(port)],
      (port: number) => ['--port', String(port)],
      (port: number) => [`--port=${port}`],
    ]) {
      const port = await freePort();
      const started = npmRun(args(port));
      await expect
        .poll(() => started.output(), { timeout: 15_000 })
        .toContain(`X emulator listening on http://127.0.0.1:${port}`);
    }
  }, 40_000);

  it('says in one line that the port is in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const started = npmRun(['--', '--port', String(port)]);
      expect(await started.exit).toBe(1);
      expect(started.output().trim()).toBe(
        `X emulator cannot start: port ${port} is already in use: pass another with --port.`,
      );
    } finally {
      taken.close();
    }
  }, 20_000);

  it('refuses an unknown option with the usage line, not a stack trace', async () => {
    const started = npmRun(['--', '--prot', '4100']);
    expect(await started.exit).toBe(1);
    expect(started.output()).toContain('usage: npm run emulator:x -- [--port 4100]');
    expect(started.output()).not.toMatch(/\n\s+at /);
  }, 20_000);
});
