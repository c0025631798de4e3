/** The `user` option every X-account command takes, and its autocomplete from recent lookups. */
import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
} from 'discord.js';
import { truncate } from '../paging/escape.js';
import type { Services } from '../services.js';

export const USER_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'user',
  description: 'An X account: @name, name, a profile link, or a numeric id',
  required: true,
  autocomplete: true,
  max_length: 200,
} as const satisfies APIApplicationCommandBasicOption;

/** Suggests accounts looked up recently in this server; answered from the store, well within 3 s. */
export async function suggestAccounts(
  interaction: AutocompleteInteraction,
  services: Services,
): Promise<void> {
  const typed = interaction.options.getFocused();
  const accounts = await services.accounts.suggest(interaction.guildId, typed);
  await interaction.respond(
    accounts
      .slice(0, 25)
      .map((a) => ({ name: truncate(`${a.name} (@${a.username})`, 100), value: a.username })),
  );
}
