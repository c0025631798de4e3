/**
 * What a growth chart says in words, in the reader's language: the same figures as the image
 * (first and last count, gained and lost, the best and worst day, and day by day for a short
 * period), beside it for screen readers and for anyone whose client shows no image. Also the
 * V2 message that carries both, for /alerts chart and the weekly digest.
 */
import { type APIMessageTopLevelComponent, ComponentType } from 'discord.js';
import type { ChartDay } from '../charts/growth-chart.js';
import { textDisplay } from '../discord/v2.js';
import type { Translator } from '../i18n/translate.js';
import type { DayGrowth } from './growth-history.js';

export const CHART_FILE = 'flock-growth.png';
/** Periods up to this many days are also told day by day. */
const DAY_BY_DAY_MAX = 14;
/** Discord's longest alt text for a media gallery item. */
const ALT_MAX = 1024;

export interface GrowthSummary {
  days: number;
  recorded: number;
  first: { day: string; followers: number } | undefined;
  last: { day: string; followers: number } | undefined;
  gained: number;
  lost: number;
  best: { day: string; net: number } | undefined;
  worst: { day: string; net: number } | undefined;
}

/** The figures of a period, from what was recorded (undefined: a day nothing was). */
export function summarize(found: readonly (DayGrowth | undefined)[]): GrowthSummary {
  const recorded = found.filter((d): d is DayGrowth => d !== undefined);
  const counted = recorded.filter((d) => d.followers !== undefined);
  const at = (d: DayGrowth | undefined) =>
    d?.followers === undefined ? undefined : { day: d.day, followers: d.followers };
  let best: GrowthSummary['best'];
  let worst: GrowthSummary['worst'];
  for (const d of recorded) {
    const net = d.gained - d.lost;
    if (!best || net > best.net) best = { day: d.day, net };
    if (!worst || net < worst.net) worst = { day: d.day, net };
  }
  return {
    days: found.length,
    recorded: recorded.length,
    first: at(counted[0]),
    last: at(counted.at(-1)),
    gained: recorded.reduce((n, d) => n + d.gained, 0),
    lost: recorded.reduce((n, d) => n + d.lost, 0),
    best,
    worst,
  };
}

/** The chart's days: every day of the period, with nothing drawn where nothing was recorded. */
export function chartDays(days: readonly string[], found: readonly (DayGrowth | undefined)[]): ChartDay[] {
  return days.map((day, i) => {
    const d = found[i];
    return { day, followers: d?.followers, gained: d?.gained ?? 0, lost: d?.lost ?? 0 };
  });
}

/** A day as the reader writes it ("Mar 14", "14 mar", "3月14日"), with the year when `withYear`. */
export function sayDay(day: string, t: Translator, withYear = false): string {
  return new Intl.DateTimeFormat(t.locale, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
    ...(withYear ? { year: 'numeric' } : {}),
  }).format(Date.parse(`${day}T00:00:00Z`));
}

const signed = (n: number, t: Translator) =>
  new Intl.NumberFormat(t.locale, { signDisplay: 'exceptZero' }).format(n);

/** The figures in sentences: what the chart shows, for whoever cannot see it. */
export function growthText(
  summary: GrowthSummary,
  found: readonly (DayGrowth | undefined)[],
  t: Translator,
): string {
  if (!summary.recorded) return t('alerts:growth.none');
  const withYear = summary.first?.day.slice(0, 4) !== summary.last?.day.slice(0, 4);
  const day = (d: string) => sayDay(d, t, withYear);
  const lines: string[] = [];
  const { first, last } = summary;
  if (first && last && first.day !== last.day)
    lines.push(
      t('alerts:growth.followers', {
        first: t.whole(first.followers),
        firstDay: day(first.day),
        last: t.whole(last.followers),
        lastDay: day(last.day),
        change: signed(last.followers - first.followers, t),
      }),
    );
  else if (last)
    lines.push(t('alerts:growth.followers-once', { last: t.whole(last.followers), lastDay: day(last.day) }));
  lines.push(
    t('alerts:growth.totals', {
      count: summary.days,
      gained: t.whole(summary.gained),
      lost: t.whole(summary.lost),
      recorded: t.whole(summary.recorded),
      days: t.whole(summary.days),
    }),
  );
  const { best, worst } = summary;
  if (best && worst && summary.recorded > 1)
    lines.push(
      t('alerts:growth.best-worst', {
        best: day(best.day),
        bestChange: signed(best.net, t),
        worst: day(worst.day),
        worstChange: signed(worst.net, t),
      }),
    );
  if (found.length <= DAY_BY_DAY_MAX)
    for (const d of found)
      if (d)
        lines.push(
          `- ${t('alerts:growth.day', {
            day: day(d.day),
            followers: d.followers === undefined ? '?' : t.whole(d.followers),
            gained: t.whole(d.gained),
            lost: t.whole(d.lost),
          })}`,
        );
  return lines.join('\n');
}

/** The image's alt text: the period's figures in one sentence. */
export function altText(account: string, summary: GrowthSummary, t: Translator): string {
  const text = t('alerts:growth.alt', {
    account,
    first: summary.first ? t.whole(summary.first.followers) : '?',
    last: summary.last ? t.whole(summary.last.followers) : '?',
    gained: t.whole(summary.gained),
    lost: t.whole(summary.lost),
  });
  return text.slice(0, ALT_MAX);
}

/**
 * The message: a heading, the chart (when there is one) with its alt text, then the figures in
 * words and what the colours mean.
 */
export function growthComponents(
  head: string,
  text: string,
  alt: string | undefined,
  t: Translator,
): APIMessageTopLevelComponent[] {
  const components: APIMessageTopLevelComponent[] = [textDisplay(head)];
  if (alt !== undefined)
    components.push({
      type: ComponentType.MediaGallery,
      items: [{ media: { url: `attachment://${CHART_FILE}` }, description: alt }],
    });
  components.push(textDisplay(alt === undefined ? text : `${text}\n-# ${t('alerts:growth.legend')}`));
  return components;
}
