/**
 * Alerts are stored before they are sent and marked after. Each message has an id made from
 * its events, so detecting the same events again (after a crash before the account's state was
 * saved) adds nothing; and each send carries a nonce with enforce_nonce, so a send retried after
 * a crash (Discord stored it, Flock never heard back) is not posted twice.
 */
import { createHash } from 'node:crypto';
import type { Locks } from '../coordination/locks.js';
import type { Store } from '../store/open-store.js';
import type { AlertMessage } from './render-alerts.js';

export interface OutboxEntry {
  id: string;
  guildId: string;
  channelId: string;
  message: AlertMessage;
  createdAt: number;
}

interface ChannelBox {
  pending: OutboxEntry[];
  /** Ids of recently sent entries, newest last. */
  sent: string[];
}

const SENT_MEMORY = 500;

export function entryId(channelId: string, kind: string, eventKeys: string[]): string {
  return createHash('sha256')
    .update(`${channelId}|${kind}|${[...eventKeys].sort().join(',')}`)
    .digest('base64url')
    .slice(0, 25);
}

export class Outbox {
  readonly #boxes;
  /** Channels with something pending: what delivery walks, however many channels only wait. */
  readonly #pending;

  constructor(
    store: Store,
    private readonly locks: Locks,
  ) {
    this.#boxes = store.namespace<ChannelBox>('alert-outbox');
    this.#pending = store.namespace<true>('alert-outbox-pending');
  }

  #update<T>(channelId: string, change: (box: ChannelBox) => T): Promise<T> {
    return this.locks.run(`outbox:${channelId}`, async () => {
      const box = (await this.#boxes.get(channelId)) ?? { pending: [], sent: [] };
      const result = change(box);
      if (box.pending.length || box.sent.length) await this.#boxes.set(channelId, box);
      else await this.#boxes.delete(channelId);
      if (box.pending.length) await this.#pending.set(channelId, true);
      else await this.#pending.delete(channelId);
      return result;
    });
  }

  /** The channels with entries waiting to be posted, a page at a time from the store. */
  async *pendingChannels(): AsyncGenerator<string> {
    if (!this.#pending.iterator) return;
    const channels: string[] = [];
    for await (const [channelId] of this.#pending.iterator(undefined)) channels.push(String(channelId));
    // Read whole first: posting changes the index, and paging while it changes would skip some.
    yield* channels;
  }

  /** Adds entries not already pending or sent; returns how many were new. */
  add(entries: OutboxEntry[]): Promise<number> {
    const byChannel = new Map<string, OutboxEntry[]>();
    for (const entry of entries)
      byChannel.set(entry.channelId, [...(byChannel.get(entry.channelId) ?? []), entry]);
    return Promise.all(
      [...byChannel].map(([channelId, list]) =>
        this.#update(channelId, (box) => {
          const seen = new Set([...box.sent, ...box.pending.map((p) => p.id)]);
          const fresh = list.filter((e) => !seen.has(e.id));
          box.pending.push(...fresh);
          return fresh.length;
        }),
      ),
    ).then((counts) => counts.reduce((a, b) => a + b, 0));
  }

  async pending(channelId: string): Promise<OutboxEntry[]> {
    return (await this.#boxes.get(channelId))?.pending ?? [];
  }

  markSent(channelId: string, id: string): Promise<void> {
    return this.#update(channelId, (box) => {
      box.pending = box.pending.filter((p) => p.id !== id);
      box.sent = [...box.sent, id].slice(-SENT_MEMORY);
    });
  }

  /** Drops everything pending for a channel that can no longer receive it. */
  drop(channelId: string): Promise<number> {
    return this.#update(channelId, (box) => {
      const dropped = box.pending.length;
      box.pending = [];
      return dropped;
    });
  }
}
