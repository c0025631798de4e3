/** Flock's web pages show an X username as typed, HTML-escaped, with no hidden character. */
import { describe, expect, it } from 'vitest';
import { PAGES, renderPage } from '../../src/web/pages.js';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;
const USERNAME = '\u202Egnp.exe\u202C<b>\u200Bx\u2066';

describe('the pages that name an X account', () => {
  it.each([
    ['linked', PAGES.linked(USERNAME)],
    ['verified', PAGES.verified(USERNAME)],
  ])('%s: no bidirectional or zero-width character, and no HTML from X', (_, page) => {
    const html = renderPage(page);
    expect(html).not.toMatch(INVISIBLE);
    expect(html).toContain('@gnp.exe&lt;b&gt;x');
    expect(html).not.toContain('<b>');
  });
});
