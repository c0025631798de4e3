import { MessageFlags } from 'discord.js';
import { assertCanFollow, followReply, unfollowAccount } from '../src/accounts/follows.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';

export const unfollow = {
  data: {
    name: 'unfollow',
    description: 'Unfollow an X account as your linked X account',
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  needs: ['linked'],
  async execute(interaction, services) {
    const ref = userRef(interaction);
    await assertCanFollow(services, interaction.user.id, ref, 'unfollow');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await unfollowAccount(services, interaction.user.id, ref);
    await interaction.editReply({ ...followReply(answer), allowedMentions: NO_MENTIONS });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
