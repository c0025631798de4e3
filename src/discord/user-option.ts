/** The `user` option every X-account command takes, and its autocomplete from recent lookups. */
import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { describedAs, namedIn } from '../i18n/definitions.js';
import type { Services } from '../services.js';
import { parseUserRef, USERNAME_PATTERN, type UserRef } from '../x/index.js';
import { readOptions } from './options.js';
import { recentScope } from './place.js';
import { xPlain } from './x-text.js';

export const USER_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'user',
  ...namedIn('commands:options.user.name'),
  ...describedAs('commands:options.user.description'),
  required: true,
  autocomplete: true,
  max_length: 200,
} as const satisfies APIApplicationCommandBasicOption;

/** The account the `user` option names; a malformed one is refused before anything is sent to X. */
export function userRef(interaction: ChatInputCommandInteraction): UserRef {
  return parseUserRef(readOptions(interaction, [USER_OPTION]).user);
}

/**
 * Suggests accounts looked up recently in this server (or by this person, where Flock is not in
 * the place); answered from the store, well within 3 s.
 */
export async function suggestAccounts(
  interaction: AutocompleteInteraction,
  services: Services,
): Promise<void> {
  const typed = interaction.options.getFocused();
  const accounts = await services.accounts.suggest(recentScope(interaction), typed);
  await interaction.respond(accounts.slice(0, 25).map(choice));
}

/**
 * A choice shows as typed (no markdown), in at most 100 units on one line. Its value is what
 * the command then parses: the username, or the id when X's username is not a valid one.
 */
function choice(account: { id: string; username: string; name: string }): { name: string; value: string } {
  const handle = `@${oneLine(xPlain(account.username, 40))}`;
  const name = oneLine(xPlain(account.name, 100 - handle.length - 3));
  return {
    name: name ? `${name} (${handle})` : handle,
    value: USERNAME_PATTERN.test(account.username) ? account.username : account.id,
  };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');
