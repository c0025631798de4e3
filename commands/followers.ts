import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { showList } from '../src/paging/show-list.js';

export const followers = {
  data: {
    name: 'followers',
    description: "Browse an X account's followers, newest first",
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  // userRef refuses a bad reference before anything is sent to X.
  execute: (interaction, services, reply) =>
    showList(interaction, services, reply, 'followers', userRef(interaction)),
  autocomplete: suggestAccounts,
} satisfies Command;
