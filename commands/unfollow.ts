import { MessageFlags } from 'discord.js';
import { assertCanFollow, followReply, unfollowAccount } from '../src/accounts/follows.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
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
  async execute(interaction, services, { t }) {
    const ref = userRef(interaction);
    await assertCanFollow(services, interaction.user.id, ref, 'unfollow');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await unfollowAccount(services, interaction.user.id, ref);
    await interaction.editReply({ ...followReply(answer, t), allowedMentions: NO_MENTIONS });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
