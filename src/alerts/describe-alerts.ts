/**
 * What /alerts list says, in the reader's language: each alert, where its account's events come
 * from and how that is going, why it is paused, and the server's share of today's X spend.
 * Reasons are stored as codes and said here; one an older version stored in English is shown as
 * it was written.
 */
import { TimestampStyles, time } from 'discord.js';
import { utcDay } from '../clock.js';
import { xHandle } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { X_PRICES_MICRO_USD } from '../x/index.js';
import type { AccountState } from './account-state.js';
import { sayReason } from './reasons.js';
import { kindsOf, type Subscription } from './subscriptions.js';

/** Discord shows a relative timestamp in the reader's own language. */
const when = (ms: number | undefined, t: Translator) =>
  ms === undefined ? t('alerts:source.not-yet') : time(Math.round(ms / 1000), TimestampStyles.RelativeTime);

/** Which of the catalogue's `source.stream-state` words says each state of the stream. */
const STREAM_STATE = {
  stopped: 'stopped',
  off: 'off',
  connecting: 'reconnecting',
  waiting: 'reconnecting',
} as const;

/** Where an account's events come from, and how that is going. */
function sourceText(
  services: Services,
  s: Subscription,
  state: AccountState | undefined,
  t: Translator,
): string {
  const now = services.clock.now();
  const times = { last: when(state?.lastCheckAt, t), next: when(state?.nextCheckAt, t) };
  const checks =
    state?.waiting && state.waiting.until > now
      ? t('alerts:source.checks-waiting', { ...times, why: sayReason(state.waiting.reason, t) })
      : t('alerts:source.checks', times);
  const ownFollows = kindsOf(s.events).some((k) => k === 'followed' || k === 'unfollowed');
  const source = state?.source;
  if (source?.kind === 'stream') {
    const stream = services.alerts.schedule.stream?.status;
    const since = when(source.since, t);
    let text = t('alerts:source.streamed', { since });
    if (stream && stream.state !== 'connected') {
      const down = {
        since,
        down: when(stream.since, t),
        state: t(`alerts:source.stream-state.${STREAM_STATE[stream.state]}`),
      };
      text = stream.reason
        ? t('alerts:source.streamed-down-why', { ...down, why: sayReason(stream.reason, t) })
        : t('alerts:source.streamed-down', down);
    }
    if (source.gapSince !== undefined)
      text = t('alerts:source.gap', { stream: text, gap: when(source.gapSince, t), checks });
    return text;
  }
  const reason = source?.reason ?? services.alerts.schedule.unavailable;
  const why =
    reason !== undefined
      ? sayReason(reason, t)
      : state?.lastCheckAt === undefined
        ? t('alerts:source.first-check')
        : undefined;
  if (services.config.alerts.source === 'stream' && state?.lastCheckAt !== undefined)
    return why ? t('alerts:source.not-served-why', { why }) : t('alerts:source.not-served');
  const polled = why ? t('alerts:source.polled-why', { why, checks }) : t('alerts:source.polled', { checks });
  return ownFollows ? t('alerts:source.own-follows', { source: polled }) : polled;
}

export async function describeSubscriptions(
  services: Services,
  guildId: string,
  t: Translator,
): Promise<string[]> {
  const subs = await services.alerts.subscriptions.forGuild(guildId);
  if (!subs.length) return [t('alerts:list.empty')];
  let sharedUsers = 0;
  const lines: string[] = [];
  for (const s of subs) {
    const state = await services.alerts.states.get(s.account.id);
    if (state && state.spend.day === utcDay(services.clock.now())) {
      // The account's spend is shared by every channel that watches it, in whatever server.
      const watchers = (await services.alerts.subscriptions.forAccount(s.account.id)).filter(
        (o) => !o.paused,
      );
      sharedUsers += state.spend.users / Math.max(1, watchers.length);
    }
    const extras = [
      s.roleId ? t('alerts:list.pings', { role: `<@&${s.roleId}>` }) : '',
      s.minFollowers ? t('alerts:list.min-followers', { min: t.whole(s.minFollowers) }) : '',
      s.digest ? t('alerts:list.digest') : '',
    ].filter(Boolean);
    const status = s.paused
      ? t('alerts:list.paused', { reason: sayReason(s.paused.reason, t) })
      : sourceText(services, s, state, t);
    // Layout rather than words: the same in every language.
    const what = [
      t(`alerts:events.${s.events}`),
      ...(extras.length ? [extras.join(t('alerts:separator'))] : []),
    ];
    lines.push(`**${xHandle(s.account)}** → <#${s.channelId}>: ${what.join('; ')}\n  ${status}`);
  }
  const usd = (sharedUsers * X_PRICES_MICRO_USD.userRead) / 1_000_000;
  const spend = new Intl.NumberFormat(t.locale, { style: 'currency', currency: 'USD' }).format(usd);
  lines.push(`\n${t('alerts:list.spend', { usd: spend })}`);
  return inMessages(lines);
}

/** Discord's limit on a message's content, in characters (UTF-16 units, as JavaScript counts). */
const CONTENT_LIMIT = 2000;

/**
 * Lines joined into as few messages as Discord's content limit allows, never splitting a line: a
 * server's 25 subscriptions, with roles, thresholds and a status each, run past one message.
 */
export function inMessages(lines: readonly string[], limit = CONTENT_LIMIT): string[] {
  const messages: string[] = [];
  let current = '';
  for (const whole of lines) {
    // A line longer than a message (a long reason an older Flock stored as text) is cut to fit.
    const line = whole.length > limit ? `${whole.slice(0, limit - 1)}…` : whole;
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= limit || !current) {
      current = joined;
      continue;
    }
    messages.push(current);
    current = line.replace(/^\n+/, '');
  }
  if (current) messages.push(current);
  return messages;
}
