import { assertCanFollow, followAccount, followReply } from '../src/accounts/follows.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const follow = {
  data: {
    name: 'follow',
    ...namedIn('commands:follow.name'),
    ...describedAs('commands:follow.description'),
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  needs: ['linked'],
  async execute(interaction, services, reply) {
    const ref = userRef(interaction);
    await assertCanFollow(services, interaction.user.id, ref, 'follow');
    await reply.privately(async () =>
      followReply(await followAccount(services, interaction.user.id, ref), reply.t),
    );
  },
  autocomplete: suggestAccounts,
} satisfies Command;
