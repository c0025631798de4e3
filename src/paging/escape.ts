/**
 * Text from X shown in Discord: markdown is escaped and mentions are broken, so a display name
 * like `**@everyone**` or `<@&123>` renders as the characters it is, never as formatting or a ping.
 */
import { escapeMarkdown } from 'discord.js';

export function escapeDisplayText(text: string): string {
  return escapeMarkdown(text)
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(?=[@#:]|a:|t:)/g, '<\u200b');
}

/** Cuts to `max` characters at most, with an ellipsis, without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

export const formatCount = (n: number) => (n < 10_000 ? whole.format(n) : compact.format(n));
export const formatWhole = (n: number) => whole.format(n);
