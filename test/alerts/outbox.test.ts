import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryId, Outbox, type OutboxEntry } from '../../src/alerts/outbox.js';
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
  it('keeps no per-channel queue once its updates are done, even for channels it never hears of again', async () => {
    const outbox = new Outbox(store);
    const channels = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const adding = outbox.add(channels.flatMap((c) => [entry(c, 1), entry(c, 2)]));
    expect(outbox.busyChannels).toBe(40);
    expect(await adding).toBe(80);
    expect(outbox.busyChannels).toBe(0);

    // Updates chained behind one another on a channel: the queue stays until the last is done.
    const first = outbox.markSent('c0', entry('c0', 1).id);
    const second = outbox.markSent('c0', entry('c0', 2).id);
    await first;
    expect(outbox.busyChannels).toBe(1);
    await second;
    expect(outbox.busyChannels).toBe(0);
    expect(await outbox.pending('c0')).toEqual([]);
    expect(await outbox.add([entry('c0', 1)])).toBe(0);
    expect(await outbox.drop('c1')).toBe(2);
    expect(outbox.busyChannels).toBe(0);
  });
});
