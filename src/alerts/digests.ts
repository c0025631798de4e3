/**
 * The weekly digest: for each subscription that opted in, once a week (the week ends Monday
 * 00:00 UTC), the chart and the week's numbers, posted to the subscription's channel in the
 * server's language through the outbox (so delivery, its pace, its retries and its nonce apply).
 *
 * Never twice: an entry's id is made from the channel, the account and the week's end, so making
 * it again adds nothing, and the last week made is kept per subscription. Never silently
 * skipped: a week Flock was down for (or the subscription paused) is reported with the next
 * digest, which then covers every week since the last one (up to MAX_WEEKS); a week with nothing
 * recorded says so.
 */
import type { Clock } from '../clock.js';
import { utcDay } from '../clock.js';
import { V2 } from '../discord/v2.js';
import { xHandle, xPlain } from '../discord/x-text.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import { daysBetween, type GrowthHistory } from './growth-history.js';
import {
  altText,
  CHART_FILE,
  chartDays,
  growthComponents,
  growthText,
  sayDay,
  summarize,
} from './growth-report.js';
import { type GuildLocale, guildTranslator } from './guild-language.js';
import { entryId, type Outbox, type OutboxEntry } from './outbox.js';
import type { Subscription } from './subscriptions.js';

export const WEEK_MS = 7 * 24 * 60 * 60_000;
/** A digest after a long silence covers at most this many weeks. */
const MAX_WEEKS = 12;
/** The last week made is kept a little longer than a digest can cover, then forgotten. */
const MADE_TTL_MS = (MAX_WEEKS + 1) * WEEK_MS;

/** The start (Monday 00:00 UTC) of the week containing `ms`. */
export function weekStart(ms: number): number {
  const d = new Date(ms);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - sinceMonday);
}

export interface DigestOptions {
  history: GrowthHistory;
  outbox: Outbox;
  store: Store;
  clock: Clock;
  log: Logger;
  guildLocale?: GuildLocale | undefined;
}

export class WeeklyDigests {
  /** Per subscription (`account:channel`), the end of the last week a digest was made for. */
  readonly #made;

  constructor(private readonly o: DigestOptions) {
    this.#made = o.store.namespace<number>('alert-digest-made');
  }

  /** Makes the digests that are due, for the active subscriptions in `watched`. */
  async tick(watched: Map<string, Subscription[]>): Promise<number> {
    const end = weekStart(this.o.clock.now());
    let made = 0;
    for (const subs of watched.values())
      for (const s of subs) {
        if (!s.digest || s.paused) continue;
        try {
          if (await this.#make(s, s.digest.since, end)) made += 1;
        } catch (error) {
          this.o.log.error('could not make a weekly digest; trying again next tick', {
            account: s.account.id,
            channelId: s.channelId,
            error,
          });
        }
      }
    return made;
  }

  async #make(s: Subscription, since: number, end: number): Promise<boolean> {
    const key = `${s.account.id}:${s.channelId}`;
    // A digest turned off and on again starts from `since`: the weeks it was off are not its to report.
    const from = Math.max(since, (await this.#made.get(key)) ?? since, end - MAX_WEEKS * WEEK_MS);
    if (from >= end) return false;
    const entry = await this.#entry(s, from, end);
    // Outbox first, then the mark: a crash between the two makes the same entry again, which
    // the outbox already holds (pending or sent) under the same id.
    await this.o.outbox.add([entry]);
    await this.#made.set(key, end, MADE_TTL_MS);
    this.o.log.info('weekly digest made', {
      account: s.account.id,
      channelId: s.channelId,
      week: utcDay(from),
    });
    return true;
  }

  async #entry(s: Subscription, from: number, end: number): Promise<OutboxEntry> {
    const t = guildTranslator(this.o.guildLocale, s);
    const days = daysBetween(utcDay(from), utcDay(end - 1));
    const found = await this.o.history.read(s.account.id, days);
    const summary = summarize(found);
    const account = xHandle(s.account);
    const head = t('alerts:digest.head', {
      account,
      from: sayDay(days[0] ?? utcDay(from), t),
      to: sayDay(days.at(-1) ?? utcDay(end - 1), t),
    });
    const text = growthText(summary, found, t);
    const drawn = summary.recorded > 0;
    const alt = drawn ? altText(`@${xPlain(s.account.username, 41)}`, summary, t) : undefined;
    return {
      id: entryId(s.channelId, `digest:${s.account.id}`, [String(end)]),
      guildId: s.guildId,
      channelId: s.channelId,
      message: {
        components: growthComponents(head, text, alt, t),
        flags: V2,
        allowed_mentions: { parse: [], roles: [] },
        ...(drawn
          ? {
              chart: {
                file: CHART_FILE,
                description: alt ?? '',
                days: chartDays(days, found),
                locale: t.locale,
                withoutFile: growthComponents(head, `${text}\n${t('alerts:digest.no-file')}`, undefined, t),
              },
            }
          : {}),
      },
      createdAt: this.o.clock.now(),
    };
  }
}
