import { assertCanFollow, followReply, unfollowAccount } from '../src/accounts/follows.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const unfollow = {
  data: {
    name: 'unfollow',
    ...namedIn('commands:unfollow.name'),
    ...describedAs('commands:unfollow.description'),
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  needs: ['linked'],
  async execute(interaction, services, reply) {
    const ref = userRef(interaction);
    await assertCanFollow(services, interaction.user.id, ref, 'unfollow');
    await reply.privately(async () =>
      followReply(await unfollowAccount(services, interaction.user.id, ref), reply.t),
    );
  },
  autocomplete: suggestAccounts,
} satisfies Command;
