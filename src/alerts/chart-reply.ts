/**
 * What /alerts chart answers: the growth of an account this server watches, from what Flock
 * recorded (no X request at all, so a chart costs nothing at X), as a PNG with the figures in
 * words beside it. Accounts the server does not watch, and periods with nothing recorded, are
 * refused before anything is drawn.
 */
import type { APIMessageTopLevelComponent } from 'discord.js';
import { renderGrowthChart } from '../charts/growth-chart.js';
import { xHandle, xPlain } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import type { UserRef } from '../x/index.js';
import { type DayGrowth, lastDays } from './growth-history.js';
import { altText, CHART_FILE, chartDays, growthComponents, growthText, summarize } from './growth-report.js';
import type { Subscription } from './subscriptions.js';

export const CHART_DAYS_DEFAULT = 30;
export const CHART_DAYS_MAX = 365;

/** Whether a subscription is for the account `ref` names. */
export const forAccount = (ref: UserRef) => (s: Pick<Subscription, 'account'>) =>
  ref.kind === 'id'
    ? s.account.id === ref.id
    : s.account.username.toLowerCase() === ref.username.toLowerCase();

export interface ChartData {
  account: Subscription['account'];
  days: string[];
  found: (DayGrowth | undefined)[];
}

/**
 * The recorded days of an account this server watches; a UserError (nothing drawn, nothing
 * changed) when it watches no such account, or nothing was recorded in the period.
 */
export async function chartData(
  services: Services,
  guildId: string,
  ref: UserRef,
  days: number,
  who: string,
): Promise<ChartData> {
  if (!Number.isInteger(days) || days < 1 || days > CHART_DAYS_MAX)
    throw new UserError((t) => t('alerts:chart.bad-days'));
  const watching = (await services.alerts.subscriptions.forGuild(guildId)).find(forAccount(ref));
  if (!watching) throw new UserError((t) => t('alerts:chart.not-watched', { account: who }));
  const period = lastDays(services.clock.now(), days);
  const found = await services.alerts.schedule.history.read(watching.account.id, period);
  if (!found.some((d) => d !== undefined))
    throw new UserError((t) =>
      t('alerts:chart.no-history', { account: xHandle(watching.account), count: days }),
    );
  return { account: watching.account, days: period, found };
}

/** The chart and its message, in the reader's language. */
export function drawChart(
  data: ChartData,
  t: Translator,
): { components: APIMessageTopLevelComponent[]; png: Buffer; alt: string } {
  const summary = summarize(data.found);
  const account = xHandle(data.account);
  const head = t('alerts:chart.head', { account, count: data.days.length, n: t.whole(data.days.length) });
  // Alt text is read aloud, not rendered: the handle as X has it, without markdown escapes.
  const alt = altText(`@${xPlain(data.account.username, 41)}`, summary, t);
  const png = renderGrowthChart({ days: chartDays(data.days, data.found), locale: t.locale });
  return { components: growthComponents(head, growthText(summary, data.found, t), alt, t), png, alt };
}

/** Guilds a chart is being drawn for now: one at a time each, so nobody can queue up CPU. */
const drawing = new Set<string>();

/** Runs `draw` unless a chart for the guild is being drawn already (then refuses politely). */
export async function oneChartAtATime<T>(guildId: string, draw: () => Promise<T>): Promise<T> {
  if (drawing.has(guildId)) throw new UserError((t) => t('alerts:chart.too-soon'));
  drawing.add(guildId);
  try {
    return await draw();
  } finally {
    drawing.delete(guildId);
  }
}

export { CHART_FILE };
