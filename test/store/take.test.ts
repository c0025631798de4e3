import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { keysInFile } from './sqlite-rows.js';

let dir: string;
let file: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flock-take-'));
  file = join(dir, 'flock.sqlite');
  store = await openStore(`sqlite://${file}`);
});
afterEach(async () => {
  vi.useRealTimers();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('take', () => {
  it('hands a record to exactly one of twenty concurrent takers, and removes it', async () => {
    await store.namespace<{ owner: string }>('link-attempts').set('a1', { owner: 'alice' });
    const taken = await Promise.all(
      Array.from({ length: 20 }, () => store.take<{ owner: string }>('link-attempts', 'a1')),
    );
    expect(taken.filter((value) => value !== undefined)).toEqual([{ owner: 'alice' }]);
    expect(await store.namespace('link-attempts').get('a1')).toBeUndefined();
    expect(await keysInFile(file)).toEqual([]);
  });

  it('takes only from its own namespace, and a missing record is undefined', async () => {
    await store.namespace<string>('a').set('k', 'from a');
    await store.namespace<string>('b').set('k', 'from b');
    expect(await store.take<string>('a', 'k')).toBe('from a');
    expect(await store.take<string>('a', 'k')).toBeUndefined();
    expect(await store.namespace<string>('b').get('k')).toBe('from b');
    expect(await keysInFile(file)).toEqual(['b:k']);
  });

  it('reports an expired record as absent and deletes it', async () => {
    await store.namespace<string>('link-attempts').set('old', 'stale', 10 * 60_000);
    await store.namespace<string>('link-attempts').set('new', 'fresh', 60 * 60_000);
    // Keyv judges expiry by Date.now(): move that clock, not a test double of ours.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 60_000 });
    expect(await store.take<string>('link-attempts', 'old')).toBeUndefined();
    expect(await keysInFile(file)).toEqual(['link-attempts:new']);
    expect(await store.take<string>('link-attempts', 'new')).toBe('fresh');
  });

  it('works on an in-memory store too', async () => {
    const memory = await openStore('sqlite://:memory:');
    await memory.namespace<number>('n').set('k', 7);
    const taken = await Promise.all([memory.take<number>('n', 'k'), memory.take<number>('n', 'k')]);
    expect(taken.sort()).toEqual([7, undefined]);
    await memory.close();
  });
});
