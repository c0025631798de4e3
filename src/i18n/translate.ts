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

/**
 * Discord's ids for Flock's commands, by name, once registered. A catalogue's `/link` code span
 * then becomes a command mention, `</link:id>`, which Discord shows in the reader's language (a
 * Spanish client shows /vincular) and which opens the command when clicked; without an id it
 * stays a code span. Web pages and command definitions keep the code spans: they are not messages.
 */
let commandIds: ReadonlyMap<string, string> = new Map();
/** Bumped with every change of the ids, so messages compiled with the old ones are compiled again. */
let mentionsGeneration = 0;

export function useCommandMentions(ids: ReadonlyMap<string, string>): void {
  commandIds = ids;
  mentionsGeneration += 1;
}

const MENTIONLESS = ['web:', 'commands:'];

/** `/name` or `/name sub` in backticks, as the catalogues write commands. */
function withMentions(raw: string): string {
  return raw.replace(/`\/([a-z-]+)( [a-z-]+)?`/g, (span, name: string, sub = '') => {
    const id = commandIds.get(name);
    return id ? `</${name}${sub}:${id}>` : span;
  });
}

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
  const plurals = new Intl.PluralRules(locale);
  const whole = new Intl.NumberFormat(locale);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  // i18next finds each message (namespace, fallback to English, plural form) once per locale, key
  // and plural category; filling in the values is then a join. A page of a list asks for thirty
  // messages, and i18next's full path for each was a tenth of a cached page's CPU time.
  const templates = new Map<string, Template>();
  let compiledFor = mentionsGeneration;
  const t = ((key: string, params?: Record<string, unknown>) => {
    const count = params?.count;
    const category = typeof count === 'number' ? plurals.select(count) : '';
    if (compiledFor !== mentionsGeneration) {
      templates.clear();
      compiledFor = mentionsGeneration;
    }
    const cacheKey = `${key}\u0000${category}`;
    let template = templates.get(cacheKey);
    if (!template) {
      const raw = String(
        fixed(key, { lng: locale, skipInterpolation: true, ...(category ? { count } : {}) }),
      );
      // On the message before its values go in: nothing from X can become a mention.
      template = compile(MENTIONLESS.some((ns) => key.startsWith(ns)) ? raw : withMentions(raw));
      templates.set(cacheKey, template);
    }
    return fill(template, params);
  }) as unknown as Translator;
  return Object.assign(t, {
    locale,
    language,
    count: (n: number) => (n < 10_000 ? whole.format(n) : compact.format(n)),
    whole: (n: number) => whole.format(n),
  });
}

/** A message split at its placeholders: text, name, text, name, …, text. */
type Template = readonly string[];

function compile(raw: string): Template {
  return raw.split(/\{\{\s*(\w+)\s*\}\}/);
}

function fill(template: Template, params: Record<string, unknown> | undefined): string {
  if (template.length === 1) return template[0] ?? '';
  let out = '';
  for (let i = 0; i < template.length; i++)
    out += i % 2 ? String(params?.[template[i] ?? ''] ?? '') : template[i];
  return out;
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

/** The raw catalogues and the i18next instance, for the tests of completeness and of the fast path. */
export const CATALOGUE_FOR = CATALOGUES;
export const I18NEXT = i18n;
