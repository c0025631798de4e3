import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open-store.js';
import { Sweeper } from '../../src/store/sweeper.js';
import { keysInFile, queryFile } from './sqlite-rows.js';

const MINUTE = 60_000;
let dir: string;
let file: string;
let logs: string[];
const log = () => createLogger({ level: 'debug', write: (line) => logs.push(line) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flock-sweep-'));
  file = join(dir, 'flock.sqlite');
  logs = [];
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** Records as a previous run left them: two that expire soon, two later, one never. */
async function seed(): Promise<void> {
  const store = await openStore(`sqlite://${file}`);
  await store.namespace('link-attempts').set('a1', { owner: '1' }, 10 * MINUTE);
  await store.namespace('paging-sessions').set('s1', { tokens: [''] }, 30 * MINUTE);
  await store.namespace('paging-sessions').set('s2', { tokens: [''] }, 24 * 60 * MINUTE);
  await store.namespace('x-pages').set('p1', { users: [] }, 24 * 60 * MINUTE);
  await store.namespace('links').set('u1', { name: 'alice' });
  await store.close();
}

describe('the sweeper', () => {
  it('deletes expired records of every namespace from the file, even ones this process never opened', async () => {
    await seed();
    const store = await openStore(`sqlite://${file}`);
    const sweeper = new Sweeper({ store, log: log() });
    expect(await sweeper.tick()).toBe(0);
    expect(await keysInFile(file)).toHaveLength(5);

    // Keyv stamps `expires` with Date.now(), and nobody reads these records again.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31 * MINUTE });
    expect(await sweeper.tick()).toBe(2);
    expect(await keysInFile(file)).toEqual(['links:u1', 'paging-sessions:s2', 'x-pages:p1']);
    expect(await store.namespace('paging-sessions').get('s2')).toEqual({ tokens: [''] });
    expect(logs.some((l) => l.includes('"message":"swept expired records","removed":2'))).toBe(true);
    await store.close();
  });

  it('sweeps a large backlog a chunk at a time, to the last record', async () => {
    const store = await openStore(`sqlite://${file}`);
    const sessions = store.namespace('paging-sessions');
    await Promise.all(
      Array.from({ length: 1_234 }, (_, i) => sessions.set(`s${i}`, { tokens: [''] }, MINUTE)),
    );
    await store.namespace('links').set('u1', { name: 'alice' });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * MINUTE });
    expect(await new Sweeper({ store, log: log() }).tick()).toBe(1_234);
    expect(await keysInFile(file)).toEqual(['links:u1']);
    await store.close();
  });

  it('leaves rows that are not Keyv JSON alone and still sweeps the rest', async () => {
    await seed();
    await queryFile(file, "INSERT INTO keyv (key, value) VALUES ('odd:1', 'not json'), ('odd:2', NULL)");
    const store = await openStore(`sqlite://${file}`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31 * MINUTE });
    expect(await new Sweeper({ store, log: log() }).tick()).toBe(2);
    expect(await keysInFile(file)).toEqual([
      'links:u1',
      'odd:1',
      'odd:2',
      'paging-sessions:s2',
      'x-pages:p1',
    ]);
    await store.close();
  });

  it('never runs two sweeps at once, and a failed sweep is logged, not thrown', async () => {
    const store = await openStore(`sqlite://${file}`);
    const sweeper = new Sweeper({ store, log: log() });
    const first = sweeper.tick();
    expect(sweeper.tick()).toBe(first);
    await first;
    await store.close();
    expect(await sweeper.tick()).toBe(0);
    expect(logs.filter((l) => l.includes('could not sweep expired records'))).toHaveLength(1);
  });

  it('sweeps when started and then on its interval, until stopped', async () => {
    await seed();
    const store = await openStore(`sqlite://${file}`);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31 * MINUTE });
    const sweeper = new Sweeper({ store, log: log(), intervalMs: 20 });
    sweeper.start();
    await expect.poll(() => keysInFile(file)).toHaveLength(3);
    await store.namespace('link-attempts').set('a2', { owner: '2' }, 1);
    vi.setSystemTime(Date.now() + 1000);
    await expect.poll(() => keysInFile(file)).toHaveLength(3);
    await sweeper.stop();
    await store.namespace('link-attempts').set('a3', { owner: '3' }, 1);
    vi.setSystemTime(Date.now() + 1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await keysInFile(file)).toContain('link-attempts:a3');
    await store.close();
  });
});
