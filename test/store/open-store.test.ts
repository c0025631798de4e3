import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCostLedger } from '../../src/store/cost-ledger.js';
import { openStore } from '../../src/store/open-store.js';
import { CostMeter } from '../../src/x/index.js';
import { ManualClock } from '../support/manual-clock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flock-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the store', () => {
  it('creates the data folder on demand and keeps records across a reopen', async () => {
    const file = join(dir, 'nested', 'deeper', 'flock.sqlite');
    const store = await openStore(`sqlite://${file}`);
    await store.namespace<{ name: string }>('links').set('123', { name: 'alice' });
    await store.namespace<number>('counters').set('123', 7);
    await store.close();

    const reopened = await openStore(`sqlite://${file}`);
    expect(await reopened.namespace<{ name: string }>('links').get('123')).toEqual({ name: 'alice' });
    expect(await reopened.namespace<number>('counters').get('123')).toBe(7);
    await reopened.close();
    expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('keeps namespaces apart, down to clearing one', async () => {
    const store = await openStore(`sqlite://${join(dir, 'f.sqlite')}`);
    const a = store.namespace<string>('a');
    const b = store.namespace<string>('b');
    await a.set('k', 'from a');
    await b.set('k', 'from b');
    expect(await a.get('k')).toBe('from a');
    await a.clear();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBe('from b');
    expect(store.namespace('a')).toBe(a);
    await store.close();
  });

  it('names the missing package for a Postgres store', async () => {
    await expect(openStore('postgres://u:p@localhost/db')).rejects.toThrow(/npm install @keyv\/postgres/);
  });

  it('keeps today’s X spend across a restart', async () => {
    const url = `sqlite://${join(dir, 'spend.sqlite')}`;
    const clock = new ManualClock();
    const store = await openStore(url);
    const meter = new CostMeter(clock, 5);
    meter.recordUsers(['1', '2']);
    meter.recordWrite();
    await meter.persist(createCostLedger(store));
    await store.close();

    const reopened = await openStore(url);
    const restarted = new CostMeter(clock, 5);
    await restarted.restore(createCostLedger(reopened));
    restarted.recordUsers(['2', '3']);
    expect(restarted.today()).toMatchObject({ billableUsers: 3, writes: 1, usd: 0.045 });
    await reopened.close();
  });
});
