import { MessageFlags } from 'discord.js';
import { connectReply, linkedReply } from '../src/accounts/link-replies.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const link = {
  data: {
    name: 'link',
    ...namedIn('commands:link.name'),
    ...describedAs('commands:link.description'),
    ...ANYWHERE,
  },
  async execute(interaction, services, { t }) {
    const current = await services.linked.get(interaction.user.id);
    const reply = current
      ? linkedReply(current, t)
      : connectReply(
          await services.linking.begin(
            interaction.user.id,
            interaction.token,
            interaction.applicationId,
            interaction.locale,
          ),
          t,
        );
    await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  },
} satisfies Command;
