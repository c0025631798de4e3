/**
 * What Discord refuses in a bulk overwrite of application commands, names and descriptions and
 * their translations alike, answered as Discord answers: 400 50035 with an errors tree. The codes
 * and paths are those Discord sends: a command's own name translation that is not a valid name is
 * reported on the whole `name_localizations` (Discord does not say which locale), an option's on
 * the locale; a key that is not one of Discord's locales is BASE_TYPE_CHOICES under that key.
 */
import { Locale } from 'discord.js';
import { type ErrorTree, type Issue, toTree } from './validate.js';

type Json = Record<string, unknown>;
type Path = (string | number)[];

const LOCALES: readonly string[] = Object.values(Locale);
/** Discord's naming rule; a letter with a lowercase form must be written in it. */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

const isName = (name: string) => NAME.test(name) && name === name.toLowerCase();

const invalidName = (path: Path): Issue => ({
  path,
  code: 'APPLICATION_COMMAND_INVALID_NAME',
  message: 'Command name is invalid',
});

function badLength(path: Path, value: unknown, min: number, max: number): Issue[] {
  const length = String(value ?? '').length;
  if (length >= min && length <= max) return [];
  return [{ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` }];
}

/**
 * A localization map's entries, or the issue of each key that is not a Discord locale. A null
 * value is allowed (no translation for that locale) and has nothing to check.
 */
function entries(map: unknown, path: Path, issues: Issue[]): [string, string][] {
  if (map === undefined || map === null) return [];
  const out: [string, string][] = [];
  for (const [locale, text] of Object.entries(map as Json)) {
    if (LOCALES.includes(locale)) {
      if (text !== null) out.push([locale, String(text ?? '')]);
    } else
      issues.push({
        path: [...path, locale],
        code: 'BASE_TYPE_CHOICES',
        message: `Value must be one of (${LOCALES.map((l) => `'${l}'`).join(', ')}).`,
      });
  }
  return out;
}

interface Uniqueness {
  /** Where a sibling sits in the body. */
  at: (k: number) => Path;
  /** Where a repeated untranslated name is reported. */
  plain: (k: number) => Path;
  /** Which siblings share a namespace: commands of different types (slash, user, message) do not. */
  group: (sibling: Json) => string;
  code: string;
  message: string;
}

/**
 * Names must differ among siblings in every locale: the untranslated names, and the names each
 * locale shows (its translation, or the untranslated name). A clash a translation causes is
 * reported on that translation.
 */
function duplicateNames(siblings: Json[], rule: Uniqueness): Issue[] {
  const issues: Issue[] = [];
  const issue = (path: Path) => issues.push({ path, code: rule.code, message: rule.message });
  const translation = (sibling: Json, locale: string) => {
    const value = (sibling.name_localizations as Json | null | undefined)?.[locale];
    return value === undefined || value === null ? undefined : String(value);
  };
  const plain = new Set<string>();
  for (const [k, sibling] of siblings.entries()) {
    const key = `${rule.group(sibling)}:${String(sibling.name)}`;
    if (plain.has(key)) issue(rule.plain(k));
    plain.add(key);
  }
  const locales = new Set(
    siblings.flatMap((s) => Object.keys((s.name_localizations as Json | null | undefined) ?? {})),
  );
  for (const locale of locales) {
    const first = new Map<string, number>();
    for (const [k, sibling] of siblings.entries()) {
      const shown = `${rule.group(sibling)}:${translation(sibling, locale) ?? String(sibling.name)}`;
      const earlier = first.get(shown);
      if (earlier === undefined) first.set(shown, k);
      else if (translation(sibling, locale) !== undefined)
        issue([...rule.at(k), 'name_localizations', locale]);
      else if (translation(siblings[earlier] ?? {}, locale) !== undefined)
        issue([...rule.at(earlier), 'name_localizations', locale]);
    }
  }
  return issues;
}

/** A name, a description and their translations, for a command (`top`) or an option. */
function textIssues(item: Json, path: Path, top: boolean, issues: Issue[]): void {
  if (!isName(String(item.name ?? ''))) issues.push(invalidName([...path, 'name']));
  // Only chat-input commands and their options have descriptions; user and message commands have ''.
  if (!top || (item.type ?? 1) === 1)
    issues.push(...badLength([...path, 'description'], item.description, 1, 100));
  const names = entries(item.name_localizations, [...path, 'name_localizations'], issues);
  const badNames = names.filter(([, name]) => !isName(name));
  if (top && badNames.length) issues.push(invalidName([...path, 'name_localizations']));
  if (!top)
    for (const [locale] of badNames) issues.push(invalidName([...path, 'name_localizations', locale]));
  for (const [locale, text] of entries(
    item.description_localizations,
    [...path, 'description_localizations'],
    issues,
  ))
    issues.push(...badLength([...path, 'description_localizations', locale], text, 1, 100));
}

function optionIssues(options: Json[], path: Path, issues: Issue[]): void {
  if (options.length > 25)
    issues.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  issues.push(
    ...duplicateNames(options, {
      at: (k) => [...path, k],
      plain: (k) => [...path, k, 'name'],
      group: () => 'option',
      code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
      message: 'Command option names must be unique',
    }),
  );
  for (const [k, option] of options.entries()) {
    const at = [...path, k];
    textIssues(option, at, false, issues);
    for (const [c, choice] of ((option.choices as Json[] | undefined) ?? []).entries()) {
      issues.push(...badLength([...at, 'choices', c, 'name'], choice.name, 1, 100));
      const names = entries(choice.name_localizations, [...at, 'choices', c, 'name_localizations'], issues);
      for (const [locale, name] of names)
        issues.push(...badLength([...at, 'choices', c, 'name_localizations', locale], name, 1, 100));
    }
    if (option.type === SUBCOMMAND || option.type === SUBCOMMAND_GROUP)
      optionIssues((option.options as Json[] | undefined) ?? [], [...at, 'options'], issues);
  }
}

/** The errors tree for a bulk overwrite of `commands`, or undefined when Discord would accept it. */
export function commandListErrors(commands: Json[]): ErrorTree | undefined {
  const issues: Issue[] = [];
  for (const [i, command] of commands.entries()) {
    textIssues(command, [i], true, issues);
    optionIssues((command.options as Json[] | undefined) ?? [], [i, 'options'], issues);
  }
  issues.push(
    ...duplicateNames(commands, {
      at: (i) => [i],
      plain: (i) => [i],
      group: (command) => String(command.type ?? 1),
      code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
      message: 'Application command names must be unique',
    }),
  );
  return issues.length ? toTree(issues) : undefined;
}
