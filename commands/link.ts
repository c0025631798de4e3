import { connectReply, linkedReply } from '../src/accounts/link-replies.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const link = {
  data: {
    name: 'link',
    ...namedIn('commands:link.name'),
    ...describedAs('commands:link.description'),
    ...ANYWHERE,
  },
  async execute(interaction, services, reply) {
    const { t } = reply;
    await reply.privately(async () => {
      const current = await services.linked.get(interaction.user.id);
      if (current) return linkedReply(current, t);
      // The attempt edits this reply when it completes, through this interaction's token.
      const url = await services.linking.begin(
        interaction.user.id,
        interaction.token,
        interaction.applicationId,
        interaction.locale,
      );
      return connectReply(url, t);
    });
  },
} satisfies Command;
