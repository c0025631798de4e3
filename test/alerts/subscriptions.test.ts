/** Alert subscriptions, one record each with bounded indexes, and the move from the single record of earlier versions. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Subscription, Subscriptions } from '../../src/alerts/subscriptions.js';
import { LocalLocks } from '../../src/coordination/locks.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { queryFile } from '../store/sqlite-rows.js';

let dir: string;
let store: Store;
let subs: Subscriptions;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flock-subs-'));
  store = await openStore(`sqlite://${join(dir, 'flock.sqlite')}`);
  subs = new Subscriptions(store, new LocalLocks());
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sub = (guildId: string, channelId: string, accountId: string): Subscription => ({
  guildId,
  channelId,
  account: { id: accountId, username: `u${accountId}`, name: `U ${accountId}` },
  events: 'new',
  roleId: undefined,
  minFollowers: 0,
  createdBy: '1',
  createdAt: 0,
  paused: undefined,
});

const largestRecord = async () => {
  const rows = await queryFile<{ key: string; size: number }>(
    join(dir, 'flock.sqlite'),
    "SELECT key, length(value) AS size FROM keyv WHERE key LIKE 'alert-subscription%' ORDER BY size DESC LIMIT 1",
  );
  return rows[0]?.size ?? 0;
};

describe('alert subscriptions', () => {
  it('keeps one record per subscription: 300 adds across 30 servers leave no record that grows with them', async () => {
    for (let g = 0; g < 30; g++)
      for (let a = 0; a < 10; a++) await subs.add(sub(`g${g}`, `c${g}`, `${g * 10 + a}`), 25);
    const sizeAt300 = await largestRecord();
    for (let g = 30; g < 60; g++)
      for (let a = 0; a < 10; a++) await subs.add(sub(`g${g}`, `c${g}`, `${g * 10 + a}`), 25);
    expect(await largestRecord()).toBeLessThanOrEqual(sizeAt300 + 20);
    expect(await subs.forGuild('g7')).toHaveLength(10);
    expect((await subs.forAccount('75')).map((s) => s.channelId)).toEqual(['c7']);
    let accounts = 0;
    for await (const _ of subs.accounts()) accounts += 1;
    expect(accounts).toBe(600);
  });

  it('answers the queries from its indexes, and keeps them in step through add, pause and remove', async () => {
    await subs.add(sub('g1', 'c1', '1'), 25);
    await subs.add(sub('g1', 'c2', '1'), 25);
    await subs.add(sub('g2', 'c3', '1'), 25);
    expect(await subs.add(sub('g1', 'c1', '1'), 25)).toEqual({ kind: 'updated' });
    expect(await subs.add(sub('g1', 'c9', '9'), 2)).toEqual({ kind: 'full' });
    expect((await subs.pauseChannel('c2', { code: 'channel-deleted' }, 5)).map((s) => s.channelId)).toEqual([
      'c2',
    ]);
    expect(await subs.add(sub('g1', 'c2', '1'), 25)).toEqual({ kind: 'resumed' });
    expect((await subs.remove('g1', (s) => s.channelId === 'c1')).map((s) => s.channelId)).toEqual(['c1']);
    expect((await subs.forAccount('1')).map((s) => s.channelId).sort()).toEqual(['c2', 'c3']);
    expect(await subs.forChannel('c1')).toEqual([]);
    expect(
      (await subs.pauseAccount('1', { code: 'account-gone', kind: 'suspended', username: 'u1' }, 6)).length,
    ).toBe(2);
    await subs.remove('g1', () => true);
    await subs.remove('g2', () => true);
    const left = await queryFile<{ key: string }>(
      join(dir, 'flock.sqlite'),
      "SELECT key FROM keyv WHERE key LIKE 'alert-subscription%'",
    );
    expect(left).toEqual([]);
  });

  it('moves the single record of earlier versions to one record each', async () => {
    await store
      .namespace<Subscription[]>('alert-subscriptions')
      .set('all', [sub('g1', 'c1', '1'), sub('g2', 'c2', '2')]);
    expect(await subs.migrate()).toBe(2);
    expect(await subs.migrate()).toBe(0);
    expect((await subs.forGuild('g2')).map((s) => s.account.id)).toEqual(['2']);
    expect(await store.namespace('alert-subscriptions').get('all')).toBeUndefined();
  });
});
