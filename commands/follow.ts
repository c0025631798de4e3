import { MessageFlags } from 'discord.js';
import { assertCanFollow, followAccount, followReply } from '../src/accounts/follows.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
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
  async execute(interaction, services, { t }) {
    const ref = userRef(interaction);
    await assertCanFollow(services, interaction.user.id, ref, 'follow');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await followAccount(services, interaction.user.id, ref);
    await interaction.editReply({ ...followReply(answer, t), allowedMentions: NO_MENTIONS });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
