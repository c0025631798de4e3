/** The Relink and Unlink buttons of a /link reply (`link:relink`, `link:unlink`). */
import type { ButtonHandler } from '../discord/command.js';
import { NO_MENTIONS } from '../discord/replies.js';
import { connectReply, LINK_NAMESPACE, unlinkedText } from './link-replies.js';

export const linkButtons: ButtonHandler = {
  namespace: LINK_NAMESPACE,
  async handle(interaction, id, services, reply) {
    if (id.action === 'relink') {
      // The new attempt edits this same message when it completes, through this click's token,
      // in the language of whoever clicked.
      const url = await services.linking.begin(
        interaction.user.id,
        interaction.token,
        interaction.applicationId,
        interaction.locale,
      );
      await interaction.update({ ...connectReply(url, reply.t), allowedMentions: NO_MENTIONS });
      return;
    }
    await interaction.deferUpdate();
    await services.linking.cancel(interaction.user.id);
    const result = await services.linked.unlink(interaction.user.id);
    await interaction.editReply({
      content: unlinkedText(result, reply.t),
      components: [],
      allowedMentions: NO_MENTIONS,
    });
  },
};
