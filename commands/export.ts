import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { readOptions } from '../src/discord/options.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts } from '../src/discord/user-option.js';
import { choiceNamed, describedAs, namedIn } from '../src/i18n/definitions.js';
import { askInsights, resolveAccount } from '../src/insights/ask-command.js';
import { ACCOUNT_OPTION } from './insights.js';

const LIST_OPTIONS = [
  ACCOUNT_OPTION,
  {
    type: ApplicationCommandOptionType.String,
    name: 'kind',
    ...namedIn('insights:definition.names.kind'),
    ...describedAs('insights:definition.kind'),
    required: true,
    choices: [
      { ...choiceNamed('insights:definition.choices.followers'), value: 'followers' },
      { ...choiceNamed('insights:definition.choices.following'), value: 'following' },
      { ...choiceNamed('insights:definition.choices.mutuals'), value: 'mutuals' },
      { ...choiceNamed('insights:definition.choices.not-following-back'), value: 'not-following-back' },
      { ...choiceNamed('insights:definition.choices.fans'), value: 'fans' },
    ],
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

export const exportCommand = {
  data: {
    name: 'export',
    ...namedIn('insights:definition.names.export'),
    ...describedAs('insights:definition.export'),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        ...namedIn('insights:definition.names.list'),
        ...describedAs('insights:definition.list'),
        options: [...LIST_OPTIONS],
      },
    ],
    ...ANYWHERE,
  },
  // Priced and confirmed like /insights; the CSV goes to the person who asked, privately.
  execute: (interaction, services, reply) =>
    askInsights(interaction, services, reply, async () => {
      const { account, kind } = readOptions(interaction, LIST_OPTIONS);
      return { kind: 'export', account: await resolveAccount(interaction, services, account), list: kind };
    }),
  autocomplete: suggestAccounts,
} satisfies Command;
