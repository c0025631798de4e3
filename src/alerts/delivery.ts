/**
 * Delivery: the outbox to Discord. Each pending message is posted with a nonce and
 * enforce_nonce (a send retried after a crash is not posted twice), then marked sent. Channels
 * get at most five messages in five seconds, as Discord allows. A deleted channel, or one Flock
 * may no longer post in, pauses its alerts and says so in the server, in its language. Knows
 * nothing of X.
 */
import { DiscordAPIError } from 'discord.js';
import { renderGrowthChart } from '../charts/growth-chart.js';
import type { Clock } from '../clock.js';
import type { Locks } from '../coordination/locks.js';
import { xHandle } from '../discord/x-text.js';
import type { Logger } from '../log.js';
import { type GuildLocale, guildTranslator } from './guild-language.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { type PauseReason, sayReason } from './reasons.js';
import type { Subscriptions } from './subscriptions.js';

export interface DeliveryOptions {
  outbox: Outbox;
  subscriptions: Subscriptions;
  clock: Clock;
  log: Logger;
  /** One deliverer per channel at a time, in this process or any other on the same store. */
  locks: Locks;
  /** Posts a message to a channel, with files when given; throws Discord's error. */
  send: (channelId: string, body: Record<string, unknown>, files?: OutgoingFile[]) => Promise<void>;
  /** Tells a guild (its system channel, when possible) that alerts stopped somewhere. */
  notifyGuild: (guildId: string, text: string) => Promise<void>;
  /** The server's preferred locale, for the notice; see guild-language.ts. */
  guildLocale?: GuildLocale | undefined;
}

/** A file sent with a message (multipart), as discord.js's REST client takes it. */
export interface OutgoingFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/** Discord's observed channel pace: about 5 messages per 5 s per channel. */
const PER_CHANNEL = 5;
const PER_CHANNEL_WINDOW_MS = 5_000;
/** Discord's answers that mean the channel is gone or closed to Flock. */
const CHANNEL_CLOSED = new Set([10003, 50001, 50013]);

export class AlertDelivery {
  /** When each channel's recent sends happened (ms, Flock's clock), pruned as they age out. */
  readonly #recent = new Map<string, number[]>();

  constructor(private readonly o: DeliveryOptions) {}

  /** Posts what is pending, each channel on its own. */
  async tick(): Promise<void> {
    for await (const channelId of this.o.outbox.pendingChannels()) {
      try {
        await this.o.locks.run(`deliver:${channelId}`, () => this.#deliver(channelId));
      } catch (error) {
        this.o.log.error('alert delivery failed', { channelId, error });
      }
    }
  }

  async #deliver(channelId: string): Promise<void> {
    const pending = await this.o.outbox.pending(channelId);
    for (const entry of pending) {
      if (!this.#mayPost(channelId)) return;
      try {
        await this.#post(channelId, entry);
      } catch (error) {
        if (
          error instanceof DiscordAPIError &&
          (CHANNEL_CLOSED.has(Number(error.code)) || error.status === 403 || error.status === 404)
        ) {
          await this.#closeChannel(channelId, error);
        } else {
          this.o.log.warn('alert not delivered; will retry', { channelId, error });
        }
        return;
      }
      await this.o.outbox.markSent(channelId, entry.id);
    }
  }

  /**
   * Posts one entry, its chart drawn now (the outbox keeps the figures, not the image). Where
   * Flock may not attach files (Missing Permissions), the message goes without the image rather
   * than not at all, saying why: the channel still takes text.
   */
  async #post(channelId: string, entry: OutboxEntry): Promise<void> {
    const { chart, ...message } = entry.message;
    const once = { nonce: entry.id, enforce_nonce: true };
    if (!chart) return this.o.send(channelId, { ...message, ...once });
    const png = renderGrowthChart(chart);
    try {
      await this.o.send(
        channelId,
        {
          ...message,
          attachments: [{ id: 0, filename: chart.file, description: chart.description }],
          ...once,
        },
        [{ name: chart.file, data: png, contentType: 'image/png' }],
      );
    } catch (error) {
      if (!(error instanceof DiscordAPIError && Number(error.code) === 50013)) throw error;
      this.o.log.warn('no Attach Files in the channel: the digest goes without its chart', { channelId });
      await this.o.send(channelId, { ...message, components: chart.withoutFile, ...once });
    }
  }

  /** Takes a slot in the channel's pace, or says it is full for now. */
  #mayPost(channelId: string): boolean {
    const now = this.o.clock.now();
    const recent = (this.#recent.get(channelId) ?? []).filter((at) => now - at < PER_CHANNEL_WINDOW_MS);
    if (recent.length >= PER_CHANNEL) {
      this.#recent.set(channelId, recent);
      return false;
    }
    recent.push(now);
    this.#recent.set(channelId, recent);
    // Channels that went quiet leave nothing behind.
    for (const [id, times] of this.#recent)
      if (times.every((at) => now - at >= PER_CHANNEL_WINDOW_MS)) this.#recent.delete(id);
    return true;
  }

  async #closeChannel(channelId: string, error: DiscordAPIError): Promise<void> {
    const reason: PauseReason = { code: Number(error.code) === 10003 ? 'channel-deleted' : 'channel-closed' };
    const paused = await this.o.subscriptions.pauseChannel(channelId, reason, this.o.clock.now());
    const dropped = await this.o.outbox.drop(channelId);
    this.o.log.warn('alerts paused for a channel', { channelId, reason, dropped });
    const [first] = paused;
    if (first) {
      const { guildId } = first;
      const t = guildTranslator(this.o.guildLocale, first);
      const text = t('alerts:paused-notice', {
        accounts: paused.map((s) => xHandle(s.account)).join(t('alerts:separator')),
        channel: `<#${channelId}>`,
        reason: sayReason(reason, t),
      });
      await this.o
        .notifyGuild(guildId, text)
        .catch((e: unknown) =>
          this.o.log.warn('could not tell the guild alerts were paused', { guildId, error: e }),
        );
    }
  }
}
