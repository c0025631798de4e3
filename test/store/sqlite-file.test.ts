/** The SQLite file on disk: who may read it, and how many processes may have it open. */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/store/open-store.js';

const HOLDER = new URL('./hold-store.ts', import.meta.url).pathname;
const mode = (path: string) => statSync(path).mode & 0o777;

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'flock-file-')));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('file modes', () => {
  it('creates the data folder 0700 and the database, its WAL and shared memory 0600', async () => {
    const file = join(dir, 'data', 'deeper', 'flock.sqlite');
    const store = await openStore(`sqlite://${file}`);
    await store.namespace('links').set('1', { sealed: 'x' });
    expect(mode(join(dir, 'data'))).toBe(0o700);
    expect(mode(join(dir, 'data', 'deeper'))).toBe(0o700);
    for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}.lock`]) expect(mode(path)).toBe(0o600);
    await store.close();
  });

  it('tightens a database an earlier version left readable, but not a folder the operator made', async () => {
    const folder = join(dir, 'var-lib-flock');
    mkdirSync(folder, { mode: 0o750 });
    chmodSync(folder, 0o750);
    const file = join(folder, 'flock.sqlite');
    const old = await openStore(`sqlite://${file}`);
    await old.close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o644);

    const store = await openStore(`sqlite://${file}`);
    await store.namespace('links').set('1', { sealed: 'x' });
    expect(mode(folder)).toBe(0o750);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(mode(path)).toBe(0o600);
    await store.close();
  });
});

/** Runs hold-store.ts on `url` in a process of its own. */
function holder(url: string) {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), HOLDER, url], {
    env: { PATH: process.env.PATH ?? '' },
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => output,
    opened: () => expect.poll(() => output, { timeout: 15_000 }).toMatch(/^opened\n/),
  };
}

describe('one process on SQLite', () => {
  it('refuses a second process while the first has the file open, even after it was killed', async () => {
    const file = join(dir, 'flock.sqlite');
    const url = `sqlite://${file}`;
    const refusal = `${file} is open in another Flock process: Flock runs as one process on SQLite, so stop the other process first.`;

    const first = holder(url);
    await first.opened();
    const second = holder(url);
    expect(await second.exit).toBe(1);
    expect(second.output()).toBe(`${refusal}\n`);
    const here = await openStore(url).catch((error: unknown) => error);
    expect(here).toBeInstanceOf(StoreError);
    expect((here as StoreError).message).toBe(refusal);
    // A refused attempt inside the holding process must not loosen its lock (POSIX locks go
    // with any descriptor of the file that the process closes).
    first.child.stdin?.write('again\n');
    await expect.poll(() => first.output(), { timeout: 15_000 }).toBe('opened\nrefused\n');
    expect(await holder(url).exit).toBe(1);

    first.child.stdin?.end();
    expect(await first.exit).toBe(0);
    const third = holder(url);
    await third.opened();

    // SIGKILL leaves no chance to clean up: the kernel releases the lock with the process.
    third.child.kill('SIGKILL');
    expect(await third.exit).toBeNull();
    const fourth = holder(url);
    await fourth.opened();
    fourth.child.stdin?.end();
    expect(await fourth.exit).toBe(0);
  }, 60_000);

  it('refuses a second store on the same file in the same process, and not after the first closed', async () => {
    const url = `sqlite://${join(dir, 'flock.sqlite')}`;
    const first = await openStore(url);
    await expect(openStore(url)).rejects.toThrow(/Flock runs as one process on SQLite/);
    // The same file reached through a symlinked folder is the same file.
    symlinkSync(dir, join(dir, 'alias'));
    await expect(openStore(`sqlite://${join(dir, 'alias', 'flock.sqlite')}`)).rejects.toThrow(StoreError);
    await first.close();
    await first.close();
    const again = await openStore(url);
    await again.namespace('a').set('k', 1);
    await again.close();
  });

  it('needs no lock in memory', async () => {
    const a = await openStore('sqlite://:memory:');
    const b = await openStore('sqlite://:memory:');
    await Promise.all([a.close(), b.close()]);
  });
});
