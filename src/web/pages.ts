/**
 * The few pages Flock's web server shows, in its own look: plain HTML, one inline stylesheet
 * (allowed by its hash in the CSP), no scripts, no external resources, readable without colour.
 */
import { createHash } from 'node:crypto';
import { xPlain } from '../discord/x-text.js';

const STYLE = `
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
code { font: inherit; font-weight: 600; }`;

/** The CSP source that allows exactly this stylesheet. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

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

export function renderPage(page: Page): string {
  const lines = page.lines
    .map((line) => `<p>${escapeHtml(line).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)} · Flock</title>
<style>${STYLE}</style>
</head>
<body>
<main class="${page.tone}">
<p class="brand">Flock</p>
<h1>${escapeHtml(page.title)}</h1>
${lines}
</main>
</body>
</html>
`;
}

const AGAIN = 'Run `/link` in Discord to get a fresh link.';

export const PAGES = {
  linked: (username: string): Page => ({
    status: 200,
    tone: 'ok',
    title: `Linked as @${xPlain(username, 60)}`,
    lines: [
      `Your X account @${xPlain(username, 60)} is now linked to Flock.`,
      'You can close this tab and return to Discord.',
    ],
  }),
  denied: {
    status: 400,
    tone: 'problem',
    title: 'Linking cancelled',
    lines: ["You didn't approve Flock, so nothing was linked.", 'To try again, run `/link` in Discord.'],
  },
  missing: {
    status: 400,
    tone: 'problem',
    title: 'This link is incomplete',
    lines: ['The address is missing part of what X sends back.', AGAIN],
  },
  unknown: {
    status: 400,
    tone: 'problem',
    title: "This link can't be used",
    lines: ["It was already used, or it isn't one Flock made.", AGAIN],
  },
  expired: {
    status: 400,
    tone: 'problem',
    title: 'This link has expired',
    lines: ['Links from `/link` work for 10 minutes.', AGAIN],
  },
  refused: {
    status: 400,
    tone: 'problem',
    title: "X didn't accept the sign-in",
    lines: ['The approval took too long or was already used, so nothing was linked.', AGAIN],
  },
  unavailable: {
    status: 503,
    tone: 'problem',
    title: 'X is not answering',
    lines: ['Nothing was linked. Try again shortly:', AGAIN],
  },
  notFound: {
    status: 404,
    tone: 'problem',
    title: 'Nothing here',
    lines: ['This address is not part of Flock.'],
  },
  badRequest: {
    status: 400,
    tone: 'problem',
    title: 'Bad request',
    lines: ['Flock could not read that request.'],
  },
  xTaken: {
    status: 409,
    tone: 'problem',
    title: 'This X account is linked to someone else',
    lines: [
      'Another Discord account has already linked this X account, so nothing changed.',
      'Unlink it there first with `/unlink`, then run `/link` again.',
    ],
  },
  otherBrowser: {
    status: 400,
    tone: 'problem',
    title: 'This link was opened in another browser',
    lines: ['Linking continues only in the browser where it started, so nothing was linked.', AGAIN],
  },
  wrongUser: {
    status: 403,
    tone: 'problem',
    title: 'This link belongs to someone else',
    lines: [
      'You are signed in to Discord as someone other than the person who ran `/link`. Nothing was linked, and this link no longer works.',
      'To link your own X account, run `/link` yourself in Discord.',
    ],
  },
  verified: (username: string): Page => ({
    status: 200,
    tone: 'ok',
    title: 'Linked Roles updated',
    lines: [
      `Servers that use Flock's Linked Roles now see your X account @${xPlain(username, 60)}.`,
      'You can close this tab and return to Discord.',
    ],
  }),
  discordRefused: {
    status: 400,
    tone: 'problem',
    title: "Discord didn't accept the sign-in",
    lines: ['The approval took too long or was already used, so nothing was linked.', AGAIN],
  },
  discordUnavailable: {
    status: 503,
    tone: 'problem',
    title: 'Discord is not answering',
    lines: ['Nothing was linked. Try again shortly:', AGAIN],
  },
  storeAway: {
    status: 503,
    tone: 'problem',
    title: "Flock's store is not answering",
    lines: ['Nothing changed. Try again shortly.'],
  },
  notConfigured: {
    status: 503,
    tone: 'problem',
    title: 'Linking is not set up',
    lines: [
      "This bot's operator has not finished setting up Sign in with Discord (DISCORD_CLIENT_SECRET, and pages served over https), so X accounts can't be linked yet.",
    ],
  },
} satisfies Record<string, Page | ((username: string) => Page)>;
