import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInlineStrings, isProse } from './inline-strings.js';

/** Where code writes what Discord users (and people on the link pages) read. */
const USER_FACING = [
  'commands',
  'src/accounts',
  'src/alerts',
  'src/discord',
  'src/insights',
  'src/paging',
  'src/web',
  'src/charts',
];

/**
 * Files in those folders whose strings nobody reads: the operator's clients, and the labels that
 * key derivations and signatures are made with.
 */
const OPERATOR_ONLY = new Set([
  'src/discord/oauth.ts',
  'src/discord/sync-commands.ts',
  'src/accounts/key-check.ts',
  'src/accounts/signed-state.ts',
  // A font's family name, as the font file declares it.
  'src/charts/font.ts',
]);

const files = USER_FACING.flatMap((dir) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f)),
).filter((f) => !OPERATOR_ONLY.has(f));

describe('strings users read', () => {
  it('all come from the catalogues', () => {
    const found = files.flatMap((file) => findInlineStrings(file));
    expect(found.map((s) => `${s.file}:${s.line} ${s.text}`)).toEqual([]);
  });

  it('are found by the check', () => {
    // The check itself: prose is found, identifiers, code and markup alone are not.
    expect(isProse("I couldn't find that account")).toBe(true);
    expect(isProse('Seguidores de {{name}}')).toBe(true);
    expect(isProse('followers')).toBe(false);
    expect(isProse('`/link`')).toBe(false);
    expect(isProse('text/html; charset=utf-8')).toBe(false);
    expect(isProse('<style>body { font-family: system-ui, sans-serif }</style>')).toBe(false);
  });
});
