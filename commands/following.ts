import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION } from '../src/discord/user-option.js';
import { showList } from '../src/paging/show-list.js';
import { parseUserRef } from '../src/x/index.js';

export const following = {
  data: {
    name: 'following',
    description: 'Browse the accounts an X account follows, newest first',
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  // parseUserRef refuses a bad reference before anything is sent to X.
  execute: (interaction, services, reply) =>
    showList(
      interaction,
      services,
      reply,
      'following',
      parseUserRef(interaction.options.getString('user', true)),
    ),
  autocomplete: suggestAccounts,
} satisfies Command;
