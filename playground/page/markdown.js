// @ts-check
/**
 * Discord's markdown, drawn as DOM nodes: every piece of text becomes a text node, and links keep
 * only http(s) addresses. Nothing here parses HTML, so a name from X that looks like markup stays
 * the characters it is.
 */

/**
 * What mentions resolve to: names of members, roles and channels, and what clicking a channel does.
 * @typedef {{ user(id: string): string | undefined, role(id: string): string | undefined,
 *   channel(id: string): string | undefined, openChannel?(id: string): void }} Names
 */

/** @param {string} url */
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {string} href @param {string} [className] */
export function link(href, className) {
  const a = /** @type {HTMLAnchorElement} */ (el('a', className));
  a.href = href;
  // Opens beside the page, in the same browser: /link's cookie must stay with this browser.
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  // Discord asks before leaving it; here, before leaving the machine (a profile on x.com).
  if (new URL(href).hostname !== location.hostname)
    a.addEventListener('click', (event) => {
      if (!confirm(`This link leaves the playground for ${new URL(href).host}. Open it?`))
        event.preventDefault();
    });
  return a;
}

const TIME_STYLES = /** @type {Record<string, Intl.DateTimeFormatOptions>} */ ({
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
});

/** @param {number} seconds @param {string} style */
function timestamp(seconds, style) {
  const date = new Date(seconds * 1000);
  if (style === 'R') {
    const minutes = Math.round((seconds * 1000 - Date.now()) / 60_000);
    const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
    if (Math.abs(minutes) < 60 * 48) return rtf.format(Math.round(minutes / 60), 'hour');
    return rtf.format(Math.round(minutes / 1440), 'day');
  }
  return date.toLocaleString('en', TIME_STYLES[style] ?? TIME_STYLES.f);
}

/**
 * Inline rules, tried in order at each position; each returns the node it makes.
 * @type {[RegExp, (m: RegExpExecArray, names: Names, inLink: boolean) => Node | undefined][]}
 */
const INLINE = [
  [/\\([^0-9A-Za-z\s])/y, (m) => document.createTextNode(m[1] ?? '')],
  [/`([^`]+)`/y, (m) => el('code', 'inline-code', m[1])],
  [/\*\*([\s\S]+?)\*\*(?!\*)/y, (m, n, l) => wrap('strong', m[1], n, l)],
  [/__([\s\S]+?)__(?!_)/y, (m, n, l) => wrap('u', m[1], n, l)],
  [/\*(?!\s)([\s\S]+?)\*(?!\*)/y, (m, n, l) => wrap('em', m[1], n, l)],
  [/_([\s\S]+?)_(?![A-Za-z0-9_])/y, (m, n, l) => wrap('em', m[1], n, l)],
  [/~~([\s\S]+?)~~/y, (m, n, l) => wrap('s', m[1], n, l)],
  [/\|\|([\s\S]+?)\|\|/y, (m, n, l) => spoiler(m[1] ?? '', n, l)],
  [
    /\[([^\]\n]+)\]\(<?(https?:\/\/[^\s)>]+)>?\)/y,
    (m, n, l) => {
      const href = safeUrl(m[2] ?? '');
      if (!href || l) return undefined;
      const a = link(href, 'link');
      a.append(...inline(m[1] ?? '', n, true));
      return a;
    },
  ],
  [
    /https?:\/\/[^\s<]+[^\s<.,:;"')\]]/y,
    (m, _n, l) => {
      const href = safeUrl(m[0]);
      if (!href || l) return undefined;
      const a = link(href, 'link');
      a.textContent = m[0];
      return a;
    },
  ],
  [/<@!?(\d+)>/y, (m, n) => el('span', 'mention', `@${n.user(m[1] ?? '') ?? 'unknown-user'}`)],
  [/<@&(\d+)>/y, (m, n) => el('span', 'mention', `@${n.role(m[1] ?? '') ?? 'unknown-role'}`)],
  [
    /<#(\d+)>/y,
    (m, n) => {
      const id = m[1] ?? '';
      const span = el('span', 'mention channel-mention', `#${n.channel(id) ?? 'unknown'}`);
      span.addEventListener('click', () => n.openChannel?.(id));
      return span;
    },
  ],
  [/<\/([\w -]+):\d+>/y, (m) => el('span', 'mention', `/${m[1]}`)],
  [
    /<t:(-?\d{1,13})(?::([tTdDfFR]))?>/y,
    (m) => el('span', 'timestamp', timestamp(Number(m[1]), m[2] ?? 'f')),
  ],
  [/@(everyone|here)\b/y, (m) => el('span', 'mention', m[0])],
];

/** @param {string} tag @param {string | undefined} text @param {Names} names @param {boolean} inLink */
function wrap(tag, text, names, inLink) {
  const node = el(tag);
  node.append(...inline(text ?? '', names, inLink));
  return node;
}

/** @param {string} text @param {Names} names @param {boolean} inLink */
function spoiler(text, names, inLink) {
  const node = el('span', 'spoiler');
  node.append(...inline(text, names, inLink));
  node.addEventListener('click', () => node.classList.add('revealed'));
  return node;
}

/**
 * @param {string} text
 * @param {Names} names
 * @param {boolean} [inLink] inside a link's label, where links are text
 * @returns {Node[]}
 */
export function inline(text, names, inLink = false) {
  /** @type {Node[]} */
  const out = [];
  let plain = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const [pattern, make] of INLINE) {
      pattern.lastIndex = i;
      const m = pattern.exec(text);
      if (!m) continue;
      const node = make(m, names, inLink);
      if (!node) continue;
      if (plain) out.push(document.createTextNode(plain));
      plain = '';
      out.push(node);
      i += m[0].length;
      continue outer;
    }
    plain += text[i];
    i += 1;
  }
  if (plain) out.push(document.createTextNode(plain));
  return out;
}

/**
 * A whole message's text: headings, subtext, quotes, lists and code blocks, then inline rules.
 * @param {string} text
 * @param {Names} names
 */
export function markdown(text, names) {
  const root = el('div', 'markdown');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('```')) {
      const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
      const last = end === -1 ? lines.length : end;
      root.append(el('pre', 'code-block', lines.slice(i + 1, last).join('\n')));
      i = last;
      continue;
    }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    const subtext = /^-# (.*)$/.exec(line);
    const quote = /^> ?(.*)$/.exec(line);
    const item = /^\s*[-*] (.*)$/.exec(line);
    /** @type {HTMLElement} */
    let block;
    if (heading) block = wrap(`h${(heading[1] ?? '#').length}`, heading[2], names, false);
    else if (subtext) block = wrap('small', subtext[1], names, false);
    else if (quote) block = wrap('blockquote', quote[1], names, false);
    else if (item) block = wrap('li', item[1], names, false);
    else {
      block = el('div', 'line');
      block.append(...inline(line, names));
      if (!line) block.append(document.createElement('br'));
    }
    root.append(block);
  }
  return root;
}
