/** Flock's web pages show an X username as typed, HTML-escaped, with no hidden character, in any language. */
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translate.js';
import { PAGES, renderPage } from '../../src/web/pages.js';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;
const USERNAME = '\u202Egnp.exe\u202C<b>\u200Bx\u2066';

describe('the pages that name an X account', () => {
  it.each([
    ['linked', 'en-US', PAGES.linked(USERNAME)],
    ['verified', 'en-US', PAGES.verified(USERNAME)],
    ['linked', 'es-ES', PAGES.linked(USERNAME)],
    ['verified', 'ja', PAGES.verified(USERNAME)],
  ])('%s (%s): no bidirectional or zero-width character, and no HTML from X', (_, locale, page) => {
    const t = translator(locale);
    const html = renderPage(page(t), t);
    expect(html).not.toMatch(INVISIBLE);
    expect(html).toContain('@gnp.exe&lt;b&gt;x');
    expect(html).not.toContain('<b>');
  });
});

describe('a page in another language', () => {
  it('says so in <html lang>, and keeps `/link` as code', () => {
    const t = translator('ja');
    const html = renderPage(PAGES.expired(t), t);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('<h1>このリンクは期限切れです</h1>');
    expect(html).toContain('<code>/link</code>');
  });
});
