/**
 * Words for command definitions: Discord shows a command's, an option's and a choice's name and
 * description in the user's client language from `*_localizations`, with the definition's own
 * text (English) for everyone else. Names stay literal in the definitions (the router and
 * readOptions key on them); only their translations come from here.
 */
import type { MessageKey, ParamsArg } from './catalogue.js';
import { ENGLISH, type LocalizedLocale, localizations } from './translate.js';

type Localized = Record<LocalizedLocale, string>;

/** `{ description, description_localizations }` for a command, subcommand or option. */
export function describedAs<K extends MessageKey>(
  key: K,
  ...params: ParamsArg<K>
): { description: string; description_localizations: Localized } {
  return { description: ENGLISH(key, ...params), description_localizations: localizations(key, ...params) };
}

/** `{ name_localizations }` for a command or option whose English name is written in the definition. */
export function namedIn<K extends MessageKey>(key: K): { name_localizations: Localized } {
  return { name_localizations: localizations(key, ...([] as unknown as ParamsArg<K>)) };
}

/** `{ name, name_localizations }` for a choice, whose name is words rather than an identifier. */
export function choiceNamed<K extends MessageKey>(key: K): { name: string; name_localizations: Localized } {
  const none = [] as unknown as ParamsArg<K>;
  return { name: ENGLISH(key, ...none), name_localizations: localizations(key, ...none) };
}
