import { MessageFlags } from 'discord.js';
import { unlinkedText } from '../src/accounts/link-replies.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const unlink = {
  data: {
    name: 'unlink',
    ...namedIn('commands:unlink.name'),
    ...describedAs('commands:unlink.description'),
    ...ANYWHERE,
  },
  async execute(interaction, services, { t }) {
    // Revoking at X may take a while: acknowledge first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // A /link button still pending must not link again after this.
    await services.linking.cancel(interaction.user.id);
    const result = await services.linked.unlink(interaction.user.id);
    await interaction.editReply({ content: unlinkedText(result, t), allowedMentions: NO_MENTIONS });
  },
} satisfies Command;
