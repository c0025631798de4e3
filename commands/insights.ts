import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { readOptions } from '../src/discord/options.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts } from '../src/discord/user-option.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';
import { askInsights, resolveAccount } from '../src/insights/ask-command.js';

export const ACCOUNT_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'account',
  ...namedIn('insights:definition.names.account'),
  ...describedAs('insights:definition.account'),
  required: true,
  autocomplete: true,
  max_length: 200,
} as const satisfies APIApplicationCommandBasicOption;

const OTHER_OPTION = {
  ...ACCOUNT_OPTION,
  name: 'other',
  ...namedIn('insights:definition.names.other'),
  ...describedAs('insights:definition.other'),
} as const satisfies APIApplicationCommandBasicOption;

const RELATIONSHIPS_OPTIONS = [ACCOUNT_OPTION] as const;
const OVERLAP_OPTIONS = [ACCOUNT_OPTION, OTHER_OPTION] as const;

export const insights = {
  data: {
    name: 'insights',
    ...namedIn('insights:definition.names.insights'),
    ...describedAs('insights:definition.insights'),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'relationships',
        ...namedIn('insights:definition.names.relationships'),
        ...describedAs('insights:definition.relationships'),
        options: [...RELATIONSHIPS_OPTIONS],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'overlap',
        ...namedIn('insights:definition.names.overlap'),
        ...describedAs('insights:definition.overlap'),
        options: [...OVERLAP_OPTIONS],
      },
    ],
    ...ANYWHERE,
  },
  // Each account is looked up (cached ten minutes) for its counts; no list is read before Confirm.
  execute: (interaction, services, reply) =>
    askInsights(interaction, services, reply, async () => {
      if (interaction.options.getSubcommand() === 'overlap') {
        const { account, other } = readOptions(interaction, OVERLAP_OPTIONS);
        const [a, b] = await Promise.all([
          resolveAccount(interaction, services, account),
          resolveAccount(interaction, services, other),
        ]);
        return { kind: 'overlap', account: a, other: b };
      }
      const { account } = readOptions(interaction, RELATIONSHIPS_OPTIONS);
      return { kind: 'relationships', account: await resolveAccount(interaction, services, account) };
    }),
  autocomplete: suggestAccounts,
} satisfies Command;
