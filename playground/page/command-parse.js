// @ts-check
/**
 * Reading what is typed in the command bar, `/alerts add account:flockdemo channel:#alerts`: the
 * command, its subcommand, each option's value (a value runs until the next `name:` of the same
 * command, so it may hold spaces), and what is being typed at the end, for the suggestions.
 */

/**
 * @typedef {{ type: number, name: string, description?: string, required?: boolean,
 *   autocomplete?: boolean, choices?: { name: string, value: string | number }[] }} OptionDef
 * @typedef {{ name: string, description?: string, options: OptionDef[] }} SubcommandDef
 * @typedef {{ name: string, description?: string, options: OptionDef[], subcommands: SubcommandDef[] }} CommandDef
 * @typedef {{ stage: 'none' }
 *   | { stage: 'command', typed: string }
 *   | { stage: 'subcommand', command: CommandDef, typed: string }
 *   | { stage: 'unknown', typed: string }
 *   | { stage: 'options', command: CommandDef, subcommand?: string, defs: OptionDef[],
 *       options: Record<string, string>, current?: OptionDef, currentValue: string,
 *       lastWord: string, endsWithSpace: boolean }} Parsed
 */

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param {string} text what is in the bar
 * @param {CommandDef[]} commands those the person is offered
 * @returns {Parsed}
 */
export function parseInput(text, commands) {
  if (!text.startsWith('/')) return { stage: 'none' };
  const first = /^(\S*)(\s?)/.exec(text.slice(1));
  const name = first?.[1] ?? '';
  if (!first?.[2]) return { stage: 'command', typed: name };
  const command = commands.find((c) => c.name === name);
  if (!command) return { stage: 'unknown', typed: name };
  let rest = text.slice(1 + (first?.[0].length ?? 0));
  let defs = command.options;
  /** @type {string | undefined} */
  let subcommand;
  if (command.subcommands.length) {
    const second = /^(\S*)(\s?)/.exec(rest);
    if (!second?.[2]) return { stage: 'subcommand', command, typed: second?.[1] ?? '' };
    const sub = command.subcommands.find((s) => s.name === second[1]);
    if (!sub) return { stage: 'unknown', typed: `${name} ${second[1]}` };
    subcommand = sub.name;
    defs = sub.options;
    rest = rest.slice(second[0].length);
  }
  const markers = defs.length
    ? [...rest.matchAll(new RegExp(`(^|\\s)(${defs.map((d) => escapeRegExp(d.name)).join('|')}):`, 'g'))]
    : [];
  /** @type {Record<string, string>} */
  const options = {};
  markers.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const next = markers[i + 1];
    const end = next ? (next.index ?? 0) + (next[1]?.length ?? 0) : rest.length;
    options[m[2] ?? ''] = rest.slice(start, end).trim();
  });
  const last = markers.at(-1);
  let current = last ? defs.find((d) => d.name === last[2]) : undefined;
  let currentValue = last ? rest.slice((last.index ?? 0) + last[0].length) : '';
  // Typed before any `name:`, a value goes to the first option still missing: `/followers flockdemo`.
  const stray = rest.slice(0, markers[0]?.index ?? rest.length).trim();
  const target =
    defs.find((d) => d.required && !(d.name in options)) ?? defs.find((d) => !(d.name in options));
  if (stray && target) {
    options[target.name] = stray;
    if (!markers.length) {
      current = target;
      currentValue = rest;
    }
  }
  const endsWithSpace = /\s$/.test(rest);
  const lastWord = endsWithSpace ? '' : (/(\S*)$/.exec(rest)?.[1] ?? '');
  return {
    stage: 'options',
    command,
    ...(subcommand ? { subcommand } : {}),
    defs,
    options,
    ...(current ? { current } : {}),
    currentValue,
    lastWord,
    endsWithSpace,
  };
}

/**
 * The bar's text with the value being typed replaced by `value`.
 * @param {string} text
 * @param {string} currentValue as parseInput found it
 * @param {string} value
 */
export function replaceCurrentValue(text, currentValue, value) {
  return `${text.slice(0, text.length - currentValue.length)}${value} `;
}

/**
 * The bar's text with its last word replaced by `word`.
 * @param {string} text
 * @param {string} lastWord
 * @param {string} word
 */
export function replaceLastWord(text, lastWord, word) {
  return `${text.slice(0, text.length - lastWord.length)}${word}`;
}
