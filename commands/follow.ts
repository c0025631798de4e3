import { MessageFlags } from 'discord.js';
import { assertCanFollow, followAccount, followReply } from '../src/accounts/follows.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';

export const follow = {
  data: {
    name: 'follow',
    description: 'Follow an X account as your linked X account',
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  needs: ['linked'],
  async execute(interaction, services) {
    const ref = userRef(interaction);
    await assertCanFollow(services, interaction.user.id, ref, 'follow');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await followAccount(services, interaction.user.id, ref);
    await interaction.editReply({ ...followReply(answer), allowedMentions: NO_MENTIONS });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
