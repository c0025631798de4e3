/**
 * The few pages Flock's web server shows, in its own look: plain HTML, one inline stylesheet
 * (allowed by its hash in the CSP), no scripts, no external resources, readable without colour.
 * Each page is written for a Translator: the words come from the `web` catalogue, in the reader's
 * language, and every value is HTML-escaped where it is placed.
 */
import { createHash } from 'node:crypto';
import { xPlain } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';

// Written as the element it becomes, so that the stylesheet reads as markup, not as words.
const STYLE_ELEMENT = `<style>
:root { color-scheme: light dark; --accent: #5865f2; --ok: #1a7f37; --warn: #b35900; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  background: Canvas; color: CanvasText; }
main { width: min(32rem, 92vw); padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 12px; }
.brand { font-weight: 700; letter-spacing: .02em; color: var(--accent); margin: 0 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
.ok h1::before { content: "✓ "; color: var(--ok); }
.problem h1::before { content: "! "; color: var(--warn); }
p { margin: .5rem 0; }
code { font: inherit; font-weight: 600; }</style>`;
const STYLE = STYLE_ELEMENT.slice('<style>'.length, -'</style>'.length);

/** The CSP source that allows exactly this stylesheet. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** A name, the same in every language. */
const BRAND = 'Flock';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export interface Page {
  status: number;
  title: string;
  /** Paragraphs of plain text; `code` spans are written as `/link`. */
  lines: string[];
  tone: 'ok' | 'problem';
}

/** A page as said in the reader's language. */
export type PageFor = (t: Translator) => Page;

export function renderPage(page: Page, t: Translator): string {
  const lines = page.lines
    .map((line) => `<p>${escapeHtml(line).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="${t.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)} · ${BRAND}</title>
${STYLE_ELEMENT}
</head>
<body>
<main class="${page.tone}">
<p class="brand">${BRAND}</p>
<h1>${escapeHtml(page.title)}</h1>
${lines}
</main>
</body>
</html>
`;
}

/** A problem page: its title, then its paragraphs. */
const problem =
  (status: number, words: (t: Translator) => [title: string, ...lines: string[]]): PageFor =>
  (t) => {
    const [title, ...lines] = words(t);
    return { status, tone: 'problem', title, lines };
  };

const handle = (username: string) => `@${xPlain(username, 60)}`;

export const PAGES = {
  linked:
    (username: string): PageFor =>
    (t) => ({
      status: 200,
      tone: 'ok',
      title: t('web:linked.title', { who: handle(username) }),
      lines: [t('web:linked.body', { who: handle(username) }), t('web:close-tab')],
    }),
  verified:
    (username: string): PageFor =>
    (t) => ({
      status: 200,
      tone: 'ok',
      title: t('web:verified.title'),
      lines: [t('web:verified.body', { who: handle(username) }), t('web:close-tab')],
    }),
  denied: problem(400, (t) => [t('web:denied.title'), t('web:denied.body'), t('web:denied.again')]),
  missing: problem(400, (t) => [t('web:missing.title'), t('web:missing.body'), t('web:again')]),
  unknown: problem(400, (t) => [t('web:unknown.title'), t('web:unknown.body'), t('web:again')]),
  expired: problem(400, (t) => [t('web:expired.title'), t('web:expired.body'), t('web:again')]),
  refused: problem(400, (t) => [t('web:refused.title'), t('web:refused.body'), t('web:again')]),
  unavailable: problem(503, (t) => [t('web:unavailable.title'), t('web:unavailable.body'), t('web:again')]),
  discordRefused: problem(400, (t) => [
    t('web:discord-refused.title'),
    t('web:discord-refused.body'),
    t('web:again'),
  ]),
  discordUnavailable: problem(503, (t) => [
    t('web:discord-unavailable.title'),
    t('web:discord-unavailable.body'),
    t('web:again'),
  ]),
  xTaken: problem(409, (t) => [t('web:x-taken.title'), t('web:x-taken.body'), t('web:x-taken.next')]),
  otherBrowser: problem(400, (t) => [
    t('web:other-browser.title'),
    t('web:other-browser.body'),
    t('web:again'),
  ]),
  wrongUser: problem(403, (t) => [
    t('web:wrong-user.title'),
    t('web:wrong-user.body'),
    t('web:wrong-user.next'),
  ]),
  notConfigured: problem(503, (t) => [t('web:not-configured.title'), t('web:not-configured.body')]),
  storeAway: problem(503, (t) => [t('web:store-away.title'), t('web:store-away.body')]),
  notFound: problem(404, (t) => [t('web:not-found.title'), t('web:not-found.body')]),
  badRequest: problem(400, (t) => [t('web:bad-request.title'), t('web:bad-request.body')]),
} satisfies Record<string, PageFor | ((username: string) => PageFor)>;
