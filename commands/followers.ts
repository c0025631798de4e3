import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';
import { showList } from '../src/paging/show-list.js';

export const followers = {
  data: {
    name: 'followers',
    ...namedIn('commands:followers.name'),
    ...describedAs('commands:followers.description'),
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  // userRef refuses a bad reference before anything is sent to X.
  execute: (interaction, services, reply) =>
    showList(interaction, services, reply, 'followers', userRef(interaction)),
  autocomplete: suggestAccounts,
} satisfies Command;
