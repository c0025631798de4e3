import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';

const SCRIPT = new URL('./write-and-leave.ts', import.meta.url).pathname;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flock-store-process-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs write-and-leave.ts; resolves once it exits on its own, with what it printed. */
function script(url: string, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), SCRIPT, url, ...args], {
    env: { PATH: process.env.PATH ?? '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('a process using the SQLite store', () => {
  it('goes on after closing it, with the checkpoints on their own connection, and prints nothing else', async () => {
    const file = join(dir, 'flock.sqlite');
    // The upkeep connection must keep the process alive while it answers (else close() never
    // resolves and the script ends early), and Node 22 must not warn that its SQLite is experimental.
    expect(await script(`sqlite://${file}`, 'close')).toEqual({ code: 0, stdout: 'closed\n', stderr: '' });
    const store = await openStore(`sqlite://${file}`);
    expect(await store.namespace<string>('records').get('r599')).toBe('x'.repeat(300));
    await store.close();
  }, 30_000);

  it('exits once it has nothing left to do, even with the store left open, and keeps every record', async () => {
    const file = join(dir, 'flock.sqlite');
    expect(await script(`sqlite://${file}`)).toEqual({ code: 0, stdout: 'left open\n', stderr: '' });
    const store = await openStore(`sqlite://${file}`);
    const records = store.namespace<string>('records');
    expect(await records.get('r0')).toBe('x'.repeat(300));
    expect(await records.get('r599')).toBe('x'.repeat(300));
    await store.close();
  }, 30_000);
});
