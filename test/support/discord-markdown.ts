/**
 * A small model of how Discord reads markdown, enough to tell whether text from X stayed text:
 * what people see, and every construct left live (not escaped with a backslash). It is not
 * Discord's parser but a stricter reading of it: it flags more than Discord would render.
 */
import { expect } from 'vitest';
import { textDisplays } from './v2-message.js';

export interface Reading {
  /** The characters Discord shows: each `\x` escape shows as `x`. */
  visible: string;
  /** Live masked links. */
  links: { label: string; url: string }[];
  /** Lines that would start a heading, subtext, block quote or list. */
  lineStarts: string[];
  /** Live `<@…>`, `<@&…>`, `<#…>`, `<t:…>`, `<:n:id>`, `</cmd:id>`, `@everyone` and `@here`. */
  mentions: string[];
  /** Live `*`, `_`, `~~`, `||` and backticks; `*` and `_` inside a bare URL are the URL's own. */
  formatting: string[];
  /** Bidirectional controls and zero-width characters, as `U+XXXX`. */
  invisible: string[];
}

/** Stands for an escaped character in the live text, so no pattern can match across it. */
const ESCAPED = '\u0001';
// Discord's escape rule: a backslash before anything but a letter, a digit or whitespace.
const ESCAPABLE = /^[^0-9A-Za-z\s]$/u;
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;

export function readMarkdown(markdown: string): Reading {
  let visible = '';
  let live = '';
  const chars = [...markdown];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    const next = chars[i + 1];
    if (c === '\\' && next !== undefined && ESCAPABLE.test(next)) {
      visible += next;
      live += ESCAPED.repeat(next.length);
      i++;
    } else {
      visible += c;
      live += c;
    }
  }
  const links = [...live.matchAll(/\[([^[\]\n]*)\]\(([^()\s]*)\)/g)].map((m) => ({
    label: m[1] ?? '',
    url: m[2] ?? '',
  }));
  const lineStarts = live
    .split('\n')
    .map((line) => /^[^\S\n]*(#|-#|>|[-*+](?=\s)|\d+\.)/.exec(line)?.[1])
    .filter((start): start is string => start !== undefined);
  const mentions = [...live.matchAll(/<(?:@[!&]?|#|:|a:|t:|\/)[^>\s]*>?|@(?:everyone|here)/gi)].map(
    (m) => m[0],
  );
  const withoutUrls = live.replace(/https?:\/\/[^\s<]*/g, (url) => url.replace(/[*_]/g, ESCAPED));
  const formatting = [...withoutUrls.matchAll(/\*|_|~~|\|\||`/g)].map((m) => m[0]);
  const invisible = [...markdown.matchAll(INVISIBLE)].map(
    (m) => `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return { visible, links, lineStarts, mentions, formatting, invisible };
}

/** The only links Flock makes itself: an X profile (by username or by id), or one of its lists. */
const FLOCK_LINK = /^https:\/\/x\.com\/(?:[A-Za-z0-9_]{1,15}|i\/user\/\d{1,19})(?:\/followers|\/following)?$/;

/**
 * Asserts that markdown Flock sent carries nothing live from X: no masked link but Flock's own
 * to x.com, no line-start markdown, no `@everyone`/`@here` and no mention of the ids X text
 * planted (`planted`), no bidirectional or zero-width character.
 */
export function expectNothingLiveFromX(markdown: string | undefined, planted = '666'): void {
  const reading = readMarkdown(markdown ?? '');
  const foreignLinks = reading.links.filter(
    (l) => !FLOCK_LINK.test(l.url) || !(l.label.startsWith('@') || l.label === 'profile'),
  );
  expect(foreignLinks, markdown).toEqual([]);
  expect(reading.lineStarts, markdown).toEqual([]);
  expect(
    reading.mentions.filter((m) => m.includes(planted) || m.startsWith('@')),
    markdown,
  ).toEqual([]);
  expect(reading.invisible, markdown).toEqual([]);
}

/** Every piece of text a message shows, with where it is. */
export function messageTexts(message: {
  content: string;
  embeds: Record<string, unknown>[];
  components?: readonly unknown[];
}): { where: string; text: string; markdown: boolean }[] {
  const texts = [{ where: 'content', text: message.content, markdown: true }];
  for (const [i, text] of textDisplays({ components: message.components ?? [] }).entries())
    texts.push({ where: `TextDisplay ${i}`, text, markdown: true });
  for (const [i, embed] of message.embeds.entries()) {
    const e = embed as {
      title?: string;
      description?: string;
      author?: { name?: string };
      footer?: { text?: string };
      fields?: { name: string; value: string }[];
    };
    const add = (where: string, text: string | undefined, markdown: boolean) => {
      if (text !== undefined) texts.push({ where: `embeds[${i}].${where}`, text, markdown });
    };
    add('title', e.title, true);
    add('description', e.description, true);
    add('author.name', e.author?.name, false);
    add('footer.text', e.footer?.text, false);
    for (const [f, field] of (e.fields ?? []).entries()) {
      add(`fields[${f}].name`, field.name, true);
      add(`fields[${f}].value`, field.value, true);
    }
  }
  return texts;
}

/** `expectNothingLiveFromX` on every markdown text of a message, and no invisible character anywhere. */
export function expectMessageInert(message: {
  content: string;
  embeds: Record<string, unknown>[];
  components?: readonly unknown[];
}): void {
  for (const { text, markdown } of messageTexts(message)) {
    if (markdown) expectNothingLiveFromX(text);
    else expect(readMarkdown(text).invisible, text).toEqual([]);
  }
}

/** X text meant to become formatting, links, pings and reversed text in Flock's messages. */
export const HOSTILE = {
  name: '[x.com/support](https://evil.example/a)',
  bio: [
    '# Official X support',
    '-# verified by X',
    '> Your account is locked.',
    '- step one',
    '* step two',
    '1. [unlock it here](https://evil.example/b)',
    '<@666> <@&666> <#666> <t:666:R> <:pwn:666> @everyone @here',
    '\u202Egnp.exe\u202C \u200Bhid\u200Dden\u2066x\u2069\uFEFF ||spoiler|| `code` ~~gone~~ __under__',
  ].join('\n'),
  location: '\u202E[home](https://evil.example/c)',
  /** A username X would never issue; Flock must not put it in a URL or a link's label. */
  username: 'evil[x](https://evil.example/u)',
};

/**
 * The text with Discord's command mentions (`</link:id>`, a clickable chip naming the command in
 * the reader's language) written as the code spans they replace where no id is known, for
 * comparing a message with its catalogue's words.
 */
export function shown(text: string): string {
  return text.replace(/<\/([a-z-]+(?: [a-z-]+)?):\d+>/g, (_, command: string) => `\`/${command}\``);
}
