/** X text in Discord: what Discord would render of each hostile input once Flock has escaped it. */
import { describe, expect, it } from 'vitest';
import { xHandle, xHandleLink, xName, xPlain, xProfileUrl, xText } from '../../src/discord/x-text.js';
import { HOSTILE, readMarkdown } from '../support/discord-markdown.js';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

/** Input, and what Discord must show of it (the input without invisible characters, unless said). */
const CASES: [string, string, string?][] = [
  ['masked link', '[x.com/support](https://evil.example/a)'],
  ['masked link in a masked link', '[[a](https://x.com/a)](https://evil.example/b)'],
  ['escaped masked link', '\\[a](https://evil.example)'],
  ['heading', '# Official'],
  ['small headings', '## two\n### three'],
  ['heading after spaces', 'first\n   # spaced'],
  ['subtext', '-# verified'],
  ['bulleted lists', '- one\n* two\n+ three'],
  ['list holding a heading', '- # inside'],
  ['numbered list', '1. one\n 22. two'],
  ['block quote', '> quoted'],
  ['multi-line block quote', '>>> all of it'],
  ['every line, not only the first', 'fine\n# heading\n> quote\n-# subtext\n1. list'],
  ['Windows and Unicode line breaks', 'a\r\n# b\u2028> c\u2029- d', 'a\n# b\n> c\n- d'],
  ['inline code', '`code` and ``more``'],
  ['code block', '```js\nalert(1)\n```'],
  ['four backticks', '````x````'],
  ['spoiler', '||secret|| and |||odd|||'],
  ['bold, italic, underline, strike', '**b** *i* _i_ __u__ ~~s~~ ***bi***'],
  ['underline after a custom emoji', '<:x:1> __under__ _it_'],
  ['user mentions', '<@666> <@!666>'],
  ['role and channel mentions', '<@&666> <#666>'],
  ['command mention', '</ban:666>'],
  ['everyone and here', '@everyone @here @Everyone'],
  ['timestamps', '<t:666:R> <t:666>'],
  ['custom emoji', '<:pwn:666> <a:pwn:666>'],
  ['backslashes', 'a\\ b\\\\ \\*'],
  ['bidi override', 'abc\u202Egnp.exe\u202C', 'abcgnp.exe'],
  ['bidi isolates and marks', '\u2066a\u2069\u2067b\u2069\u2068c\u2069\u200Ed\u200F\u061C', 'abcd'],
  ['zero-width characters', 'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF', 'abcde'],
  ['a mention rebuilt by stripping', '@\u200Beveryone <\u200B@666>', '@everyone <@666>'],
  ['a link rebuilt by stripping', '[a]\u200B(https://evil.example)', '[a](https://evil.example)'],
  ['emoji that need variation selectors', '☑️ ❤️'],
  ['a bare URL keeps its underscores', 'see https://example.com/a_b_c *x*'],
  ['the hostile bio', HOSTILE.bio, xPlain(HOSTILE.bio)],
];

describe('xText', () => {
  it.each(CASES)('%s: nothing live, every character shown', (_, input, shown = input) => {
    const out = xText(input);
    const reading = readMarkdown(out);
    expect(reading.links).toEqual([]);
    expect(reading.lineStarts).toEqual([]);
    expect(reading.mentions).toEqual([]);
    expect(reading.formatting).toEqual([]);
    expect(out).not.toMatch(INVISIBLE);
    expect(reading.visible).toBe(shown);
  });

  it('escapes a masked link and mentions with backslashes', () => {
    expect(xText('[x.com/support](https://evil.example/a)')).toBe(
      '\\[x.com/support\\]\\(https://evil.example/a\\)',
    );
    expect(xText('<@&666> @here')).toBe('\\<@&666> \\@here');
    expect(xText('-# small\n> quote')).toBe('\\-# small\n\\> quote');
  });

  it('cuts a 10,000-character bio before escaping, to fit, never inside an escape', () => {
    const bio = '*_[x](y)_* '.repeat(910).slice(0, 10_000);
    for (const max of [1000, 999, 200, 7, 1]) {
      const out = xText(bio, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.length).toBeGreaterThan(max - 4);
      expect(out.endsWith('…')).toBe(true);
      const reading = readMarkdown(out);
      expect(reading.links).toEqual([]);
      expect(reading.formatting).toEqual([]);
      expect(bio.startsWith(reading.visible.slice(0, -1))).toBe(true);
    }
  });

  it('cuts between whole characters: no half emoji, no lone accent', () => {
    const out = xText('👨‍👩‍👧'.repeat(20) + 'é'.repeat(20), 30);
    expect(out.length).toBeLessThanOrEqual(30);
    expect(out).not.toMatch(/[\uD800-\uDFFF]/u);
    const accents = xText('e\u0301'.repeat(50), 11);
    expect(accents).toBe(`${'e\u0301'.repeat(5)}…`);
  });

  it('leaves plain text alone', () => {
    expect(xText('Jack Dorsey')).toBe('Jack Dorsey');
    expect(xText('  padded  ')).toBe('padded');
    expect(xText(undefined)).toBe('');
  });
});

describe('xName', () => {
  it('falls back to the @username when nothing visible is left', () => {
    for (const name of ['', '   ', '\u200B\u202E\u2066', '\u3164', '\uFEFF\n\u200D'])
      expect(xName({ name, username: 'fan_1' })).toBe('@fan\\_1');
  });

  it('keeps a name on one line, escaped, within its limit', () => {
    expect(xName({ name: '# a\n> b', username: 'x' })).toBe('\\# a > b');
    const long = xName({ name: '*'.repeat(300), username: 'x' }, 100);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(readMarkdown(long).formatting).toEqual([]);
  });
});

describe('usernames and links', () => {
  const good = { id: '12', username: 'jack_x' };
  const bad = { id: '13', username: HOSTILE.username };

  it('links a valid username by name', () => {
    expect(xProfileUrl(good)).toBe('https://x.com/jack_x');
    expect(xProfileUrl(good, 'followers')).toBe('https://x.com/jack_x/followers');
    expect(xHandle(good)).toBe('@jack\\_x');
    expect(xHandleLink(good)).toBe('[@jack\\_x](https://x.com/jack_x)');
  });

  it('links a username X could not have issued by id, and shows it escaped outside the link', () => {
    expect(xProfileUrl(bad)).toBe('https://x.com/i/user/13');
    expect(xProfileUrl(bad, 'following')).toBe('https://x.com/i/user/13');
    expect(xProfileUrl({ id: '1/../../evil', username: 'no way' })).toBe(
      'https://x.com/i/user/1%2F..%2F..%2Fevil',
    );
    const link = xHandleLink(bad);
    const reading = readMarkdown(link);
    expect(reading.links).toEqual([{ label: 'profile', url: 'https://x.com/i/user/13' }]);
    expect(reading.visible).toBe(`@${HOSTILE.username} ([profile](https://x.com/i/user/13))`);
    expect(readMarkdown(xHandle({ username: '<@666>\u202E' })).visible).toBe('@<@666>');
    expect(xHandle({ username: 'x'.repeat(100) }).length).toBeLessThanOrEqual(41);
  });
});

describe('xPlain', () => {
  it('removes invisible characters and nothing else', () => {
    expect(xPlain('\u202E[a](b)\u200B <@1> **x**\u2069')).toBe('[a](b) <@1> **x**');
    expect(xPlain('a\u0000b\u0007c\td')).toBe('abc d');
    expect(xPlain('☑️')).toBe('☑️');
  });

  it('cuts to a limit with an ellipsis', () => {
    expect(xPlain('abcdef', 4)).toBe('abc…');
    expect(xPlain('abc', 3)).toBe('abc');
  });
});
