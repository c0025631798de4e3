/**
 * The language a browser asks for, for pages that belong to no /link attempt (whose person's
 * Discord locale is recorded): the first of Flock's languages in the order of the browser's
 * `Accept-Language` q-values, else English.
 */
import { DISCORD_LOCALES, LANGUAGES, type Language } from '../i18n/translate.js';

/** More entries than any browser sends; the rest of a longer header is not read. */
const MAX_ENTRIES = 32;

/** A Discord locale for the browser's best language (`es-ES`, `ja`, or `en-US`). */
export function browserLocale(header: string | undefined): string {
  const ranked = (header ?? '')
    .split(',', MAX_ENTRIES)
    .map((entry, order) => {
      const [range = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find(Boolean);
      return {
        base: range.trim().toLowerCase().split('-')[0] ?? '',
        q: q === undefined ? 1 : Number(q),
        order,
      };
    })
    // q=0 says "not this one"; a tie keeps the browser's own order.
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  const best = ranked.find((entry) => entry.base === '*' || isLanguage(entry.base));
  const language: Language = best && isLanguage(best.base) ? best.base : 'en';
  return DISCORD_LOCALES[language][0];
}

const isLanguage = (base: string): base is Language => (LANGUAGES as readonly string[]).includes(base);
