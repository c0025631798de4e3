/**
 * From events to outbox entries: for every channel that watches the account, the events it asked
 * for (kind and min_followers), one message per kind, in the server's language. An entry's id comes
 * from its channel, kind and the events' keys, so recording the same events again adds nothing.
 * Both sources (the stream and the poller) record through here; neither knows about Discord.
 */
import type { Clock } from '../clock.js';
import { ALERT_KINDS, type KeyedEvent } from './events.js';
import { type GuildLocale, guildTranslator } from './guild-language.js';
import { entryId, type Outbox, type OutboxEntry } from './outbox.js';
import { renderAlerts } from './render-alerts.js';
import { kindsOf, type Subscription, type Subscriptions } from './subscriptions.js';

export function entriesFor(
  subs: readonly Subscription[],
  events: readonly KeyedEvent[],
  now: number,
  guildLocale?: GuildLocale,
): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const s of subs) {
    if (s.paused) continue;
    const wanted = kindsOf(s.events);
    for (const kind of ALERT_KINDS) {
      if (!wanted.includes(kind)) continue;
      const chosen = events.filter(
        (e) => e.kind === kind && (e.user.public_metrics?.followers_count ?? 0) >= s.minFollowers,
      );
      // One message however many: ten as embeds, the rest named in its digest line.
      const message = renderAlerts(s, kind, chosen, guildTranslator(guildLocale, s));
      if (!message) continue;
      entries.push({
        id: entryId(
          s.channelId,
          `${kind}:${s.account.id}`,
          chosen.map((e) => e.key),
        ),
        guildId: s.guildId,
        channelId: s.channelId,
        message,
        createdAt: now,
      });
    }
  }
  return entries;
}

/** Records an account's events for every channel that watches it. */
export class AlertRecorder {
  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly guildLocale?: GuildLocale,
  ) {}

  async record(accountId: string, events: readonly KeyedEvent[]): Promise<number> {
    if (!events.length) return 0;
    const subs = await this.subscriptions.forAccount(accountId);
    return this.outbox.add(entriesFor(subs, events, this.clock.now(), this.guildLocale));
  }
}
