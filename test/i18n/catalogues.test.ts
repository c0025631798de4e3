/**
 * Every language says everything English says, with the same placeholders and the same code spans
 * (a translated `/link` would name a command that does not exist), and the plural forms its
 * rules use.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FOR, DISCORD_LOCALES, I18NEXT, LANGUAGES, translator } from '../../src/i18n/translate.js';

type Tree = { [key: string]: string | Tree };

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** Each message by base key, with its forms. */
function messages(language: (typeof LANGUAGES)[number]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [key, text] of flatten(CATALOGUE_FOR[language] as unknown as Tree)) {
    const base = key.replace(PLURAL, '');
    const form = PLURAL.exec(key)?.[1] ?? '';
    out.set(base, (out.get(base) ?? new Map()).set(form, text));
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
const codeSpans = (text: string) => [...text.matchAll(/`[^`]+`/g)].map((m) => m[0]).sort();
const wordCount = (text: string) => text.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length;

const english = messages('en');

describe.each(LANGUAGES.filter((l) => l !== 'en'))('%s', (language) => {
  const translated = messages(language);
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;

  it('has every message English has, and no other', () => {
    expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('keeps each message’s placeholders and code spans', () => {
    for (const [key, forms] of english) {
      const theirs = translated.get(key);
      if (!theirs) continue;
      const ours = [...forms.values()];
      for (const text of theirs.values()) {
        expect(placeholders(text), `${language} ${key}: ${text}`).toEqual(
          expect.arrayContaining(placeholders(ours.at(-1) ?? '').filter((p) => p !== 'count')),
        );
        expect(
          codeSpans(text).filter((c) => c.startsWith('`/')),
          `${language} ${key}`,
        ).toEqual(codeSpans(ours.at(-1) ?? '').filter((c) => c.startsWith('`/')));
      }
    }
  });

  it('has the plural forms its rules use', () => {
    for (const [key, forms] of english) {
      if (!forms.has('other')) continue;
      const theirs = translated.get(key) ?? new Map();
      // i18next falls back to _other for a category without its own form ("many" in Spanish).
      for (const form of categories.filter((c) => c === 'one' || c === 'other'))
        expect(theirs.has(form), `${language} ${key}_${form}`).toBe(true);
    }
  });

  it('translates rather than copies', () => {
    for (const [key, forms] of english)
      for (const [form, text] of forms)
        if (wordCount(text) >= 3)
          expect(translated.get(key)?.get(form), `${language} ${key} is still English`).not.toBe(text);
  });
});

describe('en', () => {
  it('has no empty message', () => {
    for (const [key, forms] of english) for (const text of forms.values()) expect(text, key).not.toBe('');
  });

  it('uses only plain placeholders (the Translator fills nothing else)', () => {
    for (const [key, forms] of english)
      for (const text of forms.values()) {
        expect(text, key).not.toMatch(/\$t\(|\{\{\s*-|\{\{[^}]*,[^}]*\}\}/);
      }
  });
});

describe('the Translator', () => {
  it('says exactly what i18next says, for every message, locale and plural form', () => {
    const locales = Object.values(DISCORD_LOCALES).flat();
    for (const locale of locales) {
      const t = translator(locale) as unknown as (key: string, params?: Record<string, unknown>) => string;
      for (const [key, forms] of english) {
        const names = new Set([...forms.values()].flatMap(placeholders));
        for (const count of forms.has('other') ? [0, 1, 2, 1_000_000] : [undefined]) {
          const params: Record<string, unknown> = Object.fromEntries([...names].map((n) => [n, `<${n}>`]));
          if (count !== undefined) params.count = count;
          const [ns, ...path] = key.split('.');
          const id = `${ns}:${path.join('.')}`;
          const expected = I18NEXT.getFixedT(locale)(id, { ...params, lng: locale });
          expect(t(id, params), `${locale} ${key} ${count}`).toBe(expected);
        }
      }
    }
  });
});
