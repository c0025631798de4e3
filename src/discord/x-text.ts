/**
 * Text that X users wrote (display names, bios, locations, and usernames too, which Flock does
 * not take on trust) as Flock shows it. It is someone else's text: in a Discord message it must
 * never become formatting, a masked link, a heading, a quote, a list or a mention, and nowhere
 * may it hide characters or turn the text around it backwards.
 *
 * - `xText` for markdown (message content, embed titles, descriptions and field values);
 * - `xPlain` for places shown as typed (autocomplete choices, embed author and footer, web pages);
 * - `xName`, `xHandle`, `xHandleLink`, `xProfileUrl` for the common shapes of an account.
 */
import { escapeMarkdown } from 'discord.js';
import { ID_PATTERN, USERNAME_PATTERN } from '../x/index.js';

/** The most a message's content may hold: the default limit, so no X text runs unbounded. */
const DEFAULT_MAX = 2000;

/** The parts of an account these helpers read. */
export interface XAccountText {
  id: string;
  username: string;
  name?: string;
}

// Bidirectional controls reorder what follows them (a name can make "gpj.exe" read "exe.jpg");
// zero-width and other default-ignorable characters hide text, or make a name look empty.
// Variation selectors are default-ignorable too, but emoji (☑️) and Mongolian need them.
const INVISIBLE = /(?!\n|\p{Variation_Selector})[\p{Default_Ignorable_Code_Point}\p{Cc}\uFFF9-\uFFFB]/gu;
// Every way of breaking a line becomes `\n`, so the line-start escaping below sees every line.
const LINE_BREAK = /\r\n?|[\v\f\u0085\u2028\u2029]/g;

const EVERY_OPTION = {
  codeBlock: true,
  inlineCode: true,
  bold: true,
  italic: true,
  underline: true,
  strikethrough: true,
  spoiler: true,
  codeBlockContent: true,
  inlineCodeContent: true,
  escape: true,
  heading: true,
  bulletedList: true,
  numberedList: true,
  maskedLink: true,
} as const;

/** Characters that format, link or mention wherever they stand. */
const ANYWHERE = new Set(['*', '_', '~', '|', '`', '[', ']', '(', ')', '<']);
/** Characters that start a heading (`#`, `-#`), a quote or a list at the start of a line. */
const LINE_START = new Set(['#', '>', '-', '+', '*']);
const BARE_URL = /https?:\/\/[^\s<]*/g;
const SEGMENTS = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * X text for places Discord (or a browser) shows as typed: bidirectional controls, zero-width
 * and other invisible characters removed, line breaks made `\n`, the ends trimmed; cut to at
 * most `max` UTF-16 units (as Discord counts), ellipsis included, between two graphemes.
 */
export function xPlain(text: string | undefined, max = DEFAULT_MAX): string {
  return cutToFit(strip(text), max, (s) => s);
}

/**
 * X text for Discord markdown: `xPlain`, then every markdown character escaped with a
 * backslash (masked links, headings, subtext, quotes, lists on every line, code, spoilers,
 * mentions, timestamps, custom emoji, `@everyone` and `@here`), so Discord shows exactly the
 * characters X has. `max` bounds the escaped result (UTF-16 units, ellipsis included): the text
 * is cut before it is escaped, so no escape is ever cut in half.
 */
export function xText(text: string | undefined, max = DEFAULT_MAX): string {
  return cutToFit(strip(text), max, escapeAll);
}

/**
 * A display name for markdown, on one line; the escaped `@username` when X's name is empty or
 * nothing visible is left of it.
 */
export function xName(user: Pick<XAccountText, 'name' | 'username'>, max = DEFAULT_MAX): string {
  const name = oneLine(strip(user.name));
  return isBlank(name) ? handle(user.username, max) : cutToFit(name, max, escapeAll);
}

/**
 * `@username` for markdown. A username X could not have issued is escaped like any X text
 * and cut to 40 units.
 */
export function xHandle(user: Pick<XAccountText, 'username'>): string {
  return handle(user.username, 41);
}

/**
 * The account's page on X: `https://x.com/<username>` (or its followers/following), or
 * `https://x.com/i/user/<id>` when the username is not one X could have issued.
 */
export function xProfileUrl(user: XAccountText, list?: 'followers' | 'following'): string {
  if (USERNAME_PATTERN.test(user.username)) return `https://x.com/${user.username}${list ? `/${list}` : ''}`;
  const id = ID_PATTERN.test(user.id) ? user.id : encodeURIComponent(xPlain(user.id, 40));
  return `https://x.com/i/user/${id}`;
}

/**
 * `[@username](https://x.com/username)` for markdown. For a username X could not have issued,
 * the escaped handle followed by a link by id whose label is Flock's own, so nothing from X
 * stands between a link's brackets.
 */
export function xHandleLink(user: XAccountText): string {
  const url = xProfileUrl(user);
  return USERNAME_PATTERN.test(user.username)
    ? `[${xHandle(user)}](${url})`
    : `${xHandle(user)} ([profile](${url}))`;
}

const strip = (text: string | undefined) =>
  (text ?? '').replace(LINE_BREAK, '\n').replace(/\t/g, ' ').replace(INVISIBLE, '').trim();
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
const handle = (username: string, max: number) =>
  `@${cutToFit(oneLine(strip(username)), max - 1, escapeAll)}`;
const isBlank = (text: string) => !/[^\s\u2800]/u.test(text);

function escapeAll(text: string): string {
  // escapeMarkdown leaves gaps (`>` quotes, `-#` subtext, `<` mentions, `(` `)`, a lone backtick
  // or `|` left over from its pairing, `_` after `<:` on a line): one more pass closes them.
  return escapeRest(escapeMarkdown(text, EVERY_OPTION));
}

/**
 * Escapes what `escapeMarkdown` left: one backslash before every markdown character that is not
 * escaped yet. `_` and `*` inside a bare URL stay as they are, as escapeMarkdown leaves them:
 * Discord links the whole URL, and a backslash would break the link.
 */
function escapeRest(text: string): string {
  const urls = [...text.matchAll(BARE_URL)].map((m) => [m.index, m.index + m[0].length] as const);
  const inUrl = (i: number) => urls.some(([start, end]) => i >= start && i < end);
  let out = '';
  let lineStart = true;
  let listNumber = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\') {
      // escapeMarkdown doubled every backslash X sent, so each one here starts an escape.
      out += text.slice(i, i + 2);
      i++;
      lineStart = listNumber = false;
      continue;
    }
    const rest = text.slice(i + 1, i + 9).toLowerCase();
    const needsEscape =
      (lineStart && LINE_START.has(c)) ||
      (listNumber && c === '.') ||
      (ANYWHERE.has(c) && !((c === '_' || c === '*') && inUrl(i))) ||
      (c === '@' && (rest.startsWith('everyone') || rest.startsWith('here')));
    out += needsEscape ? `\\${c}` : c;
    if (c === '\n') {
      lineStart = true;
      listNumber = false;
    } else if (/\d/.test(c) && (lineStart || listNumber)) {
      lineStart = false;
      listNumber = true;
    } else if (!(lineStart && /[^\S\n]/.test(c))) {
      lineStart = listNumber = false;
    }
  }
  return out;
}

/**
 * `render(text)` if it fits in `max`; otherwise the longest run of whole graphemes from the
 * start whose rendering, with an ellipsis, fits. Cutting before rendering means an escape
 * sequence is never cut in half.
 */
function cutToFit(text: string, max: number, render: (text: string) => string): string {
  if (max === Number.POSITIVE_INFINITY) return render(text);
  if (max < 1) return '';
  // No more graphemes than UTF-16 units: text this short needs no segmenting when it fits whole.
  if (text.length <= max) {
    const whole = render(text);
    if (whole.length <= max) return whole;
  }
  // Every grapheme shows as one unit at least, so no more than `max` of them can fit; reading
  // no further bounds the work whatever X sends (escapeMarkdown is quadratic on long lines).
  const graphemes: string[] = [];
  for (const { segment } of SEGMENTS.segment(text)) {
    if (graphemes.length > max) break;
    graphemes.push(segment);
  }
  if (graphemes.length <= max) {
    const whole = render(text);
    if (whole.length <= max) return whole;
  }
  const cut = (n: number) => `${render(graphemes.slice(0, n).join('').trimEnd())}…`;
  // Escaping grows (close to) monotonically with the cut; the search keeps the longest that fits.
  let best = '…';
  let lo = 0;
  let hi = Math.min(graphemes.length, max) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = cut(mid);
    if (candidate.length <= max) {
      best = candidate;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
