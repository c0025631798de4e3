import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryId, Outbox, type OutboxEntry } from '../../src/alerts/outbox.js';
import { LocalLocks } from '../../src/coordination/locks.js';
import { openStore, type Store } from '../../src/store/open-store.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flock-outbox-'));
  store = await openStore(`sqlite://${join(dir, 'flock.sqlite')}`);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function entry(channelId: string, n: number): OutboxEntry {
  return {
    id: entryId(channelId, 'new', [String(n)]),
    guildId: 'g',
    channelId,
    message: { content: `alert ${n}`, embeds: [], allowed_mentions: { parse: [], roles: [] } },
    createdAt: 0,
  };
}

describe('the outbox', () => {
  it('keeps no per-channel lock once its updates are done, and indexes exactly the channels with something pending', async () => {
    const locks = new LocalLocks();
    const outbox = new Outbox(store, locks);
    const channels = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const adding = outbox.add(channels.flatMap((c) => [entry(c, 1), entry(c, 2)]));
    expect(locks.busy).toBe(true);
    expect(await adding).toBe(80);
    expect(locks.busy).toBe(false);
    const pending = async () => {
      const out: string[] = [];
      for await (const c of outbox.pendingChannels()) out.push(c);
      return out.sort();
    };
    expect(await pending()).toEqual([...channels].sort());

    await Promise.all([outbox.markSent('c0', entry('c0', 1).id), outbox.markSent('c0', entry('c0', 2).id)]);
    expect(locks.busy).toBe(false);
    expect(await outbox.pending('c0')).toEqual([]);
    // Sent entries are remembered: the same events recorded again add nothing.
    expect(await outbox.add([entry('c0', 1)])).toBe(0);
    expect(await outbox.drop('c1')).toBe(2);
    expect(await pending()).toEqual(channels.filter((c) => c !== 'c0' && c !== 'c1').sort());
  });
});
