/** Small pieces of wording insights messages share: money, a progress bar, list names, accounts. */
import { TimestampStyles, time } from 'discord.js';
import { xHandle, xName } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { AccountInfo, ExportKind, ResultList } from './requests.js';

export const INSIGHTS_NAMESPACE = 'insights';
export const INSIGHTS_BLUE = 0x1d9bf0;

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Millionths of a dollar in the reader's format: "$12.34", "12,34 US$"; sub-cent prices keep their third digit. */
export function money(t: Translator, micro: number): string {
  let format = moneyFormats.get(t.locale);
  if (!format) {
    format = new Intl.NumberFormat(t.locale, {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 3,
    });
    moneyFormats.set(t.locale, format);
  }
  return format.format(micro / 1_000_000);
}

export function percent(t: Translator, part: number, whole: number): string {
  const share = whole > 0 ? part / whole : 0;
  return new Intl.NumberFormat(t.locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** Ten blocks, filled in proportion. */
export function bar(done: number, total: number): string {
  const filled = total > 0 ? Math.min(10, Math.floor((done / total) * 10)) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)}`;
}

export const relative = (at: number) => time(Math.ceil(at / 1000), TimestampStyles.RelativeTime);

export const listName = (t: Translator, list: ExportKind | ResultList) => t(`insights:lists.${list}`);

/** "Followers of @name", "Accounts @name follows", …: a list as a phrase. */
export const listOf = (t: Translator, list: ExportKind, account: AccountInfo) =>
  t(`insights:of.${list}`, { handle: xHandle(account) });

export const nameOf = (account: AccountInfo, max = 80) => xName(account, max);
export const handleOf = (account: AccountInfo) => xHandle(account);
