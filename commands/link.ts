import { MessageFlags } from 'discord.js';
import { connectReply, linkedReply } from '../src/accounts/link-replies.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';

export const link = {
  data: {
    name: 'link',
    description: 'Connect your X account, to follow and unfollow from Discord',
    ...ANYWHERE,
  },
  async execute(interaction, services) {
    const current = await services.linked.get(interaction.user.id);
    const reply = current
      ? linkedReply(current)
      : connectReply(
          await services.linking.begin(interaction.user.id, interaction.token, interaction.applicationId),
        );
    await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  },
} satisfies Command;
