/**
 * Flock's one i18n layer: i18next holding the three catalogues, and a Translator per Discord locale
 * with typed keys (a missing key or a forgotten placeholder is a type error) and Intl number
 * formats for that locale. The user's locale chooses for replies, the guild's for alerts; any locale
 * Flock does not speak gets English, formatted as en-US.
 */
import { createInstance } from 'i18next';
import type { MessageKey, ParamsArg } from './catalogue.js';
import { en } from './locales/en/index.js';
import { es } from './locales/es/index.js';
import { ja } from './locales/ja/index.js';

export const LANGUAGES = ['en', 'es', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Discord's locales for each language Flock speaks (English is the definitions' own text). */
export const DISCORD_LOCALES = {
  en: ['en-US', 'en-GB'],
  es: ['es-ES', 'es-419'],
  ja: ['ja'],
} as const satisfies Record<Language, readonly string[]>;

export type LocalizedLocale = (typeof DISCORD_LOCALES)['es' | 'ja'][number];

const CATALOGUES = { en, es, ja } as const;

const i18n = createInstance();
// Resources are in memory, so init is synchronous (initAsync: false) and nothing is fetched.
void i18n.init({
  resources: CATALOGUES,
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  nonExplicitSupportedLngs: true,
  ns: Object.keys(en),
  defaultNS: false,
  initAsync: false,
  returnNull: false,
  // Values are escaped where they are placed (x-text.ts for Discord, the page's own escaping for
  // HTML): i18next's HTML escaping would put &amp; into Discord messages.
  interpolation: { escapeValue: false },
});

export interface Translator {
  <K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  /** The Discord locale numbers are formatted for (the user's or guild's, or en-US). */
  readonly locale: string;
  readonly language: Language;
  /** A count as Flock shows it in lists: whole below 10,000, compact (12.3K, 1.2万) from there. */
  count(n: number): string;
  /** A whole number with the locale's grouping. */
  whole(n: number): string;
}

/** Words chosen once and said in whichever language the reader uses. */
export type Wording = (t: Translator) => string;

export function languageOf(locale: string | null | undefined): Language {
  const base = (locale ?? '').toLowerCase().split('-')[0];
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
}

const translators = new Map<string, Translator>();

/** The Translator for a Discord locale (e.g. `interaction.locale`); cached, one per locale Flock speaks. */
export function translator(locale?: string | null): Translator {
  const language = languageOf(locale);
  // Only Discord's locales for a language Flock speaks get their own formats: the cache stays small.
  const known = (DISCORD_LOCALES[language] as readonly string[]).includes(locale ?? '');
  const formatLocale = known ? (locale as string) : 'en-US';
  let t = translators.get(formatLocale);
  if (!t) {
    t = makeTranslator(formatLocale, language);
    translators.set(formatLocale, t);
  }
  return t;
}

function makeTranslator(locale: string, language: Language): Translator {
  const fixed = i18n.getFixedT(locale);
  const whole = new Intl.NumberFormat(locale);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const t = ((key: string, params?: Record<string, unknown>) =>
    fixed(key, { ...params, lng: locale }) as string) as unknown as Translator;
  return Object.assign(t, {
    locale,
    language,
    count: (n: number) => (n < 10_000 ? whole.format(n) : compact.format(n)),
    whole: (n: number) => whole.format(n),
  });
}

/** English as en-US: the log's language, and the definitions' default text. */
export const ENGLISH = translator('en-US');

/**
 * A message in each Discord locale Flock translates, for a definition's `*_localizations`
 * (the definition's own `name`/`description` is the English).
 */
export function localizations<K extends MessageKey>(
  key: K,
  ...params: ParamsArg<K>
): Record<LocalizedLocale, string> {
  const out = {} as Record<LocalizedLocale, string>;
  for (const locale of [...DISCORD_LOCALES.es, ...DISCORD_LOCALES.ja])
    out[locale] = translator(locale)(key, ...params);
  return out;
}

/** The raw catalogues, for the completeness test. */
export const CATALOGUE_FOR = CATALOGUES;
