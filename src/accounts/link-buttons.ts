/** The Relink and Unlink buttons of a /link reply (`link:relink`, `link:unlink`). */
import type { ButtonHandler } from '../discord/command.js';
import { connectReply, LINK_NAMESPACE, unlinkedText } from './link-replies.js';

export const linkButtons: ButtonHandler = {
  namespace: LINK_NAMESPACE,
  async handle(interaction, id, services, reply) {
    if (id.action === 'relink') {
      // The new attempt edits this same message when it completes, through this click's token,
      // in the language of whoever clicked.
      await reply.update(async () => {
        const url = await services.linking.begin(
          interaction.user.id,
          interaction.token,
          interaction.applicationId,
          interaction.locale,
        );
        return connectReply(url, reply.t);
      });
      return;
    }
    await reply.update(async () => {
      await services.linking.cancel(interaction.user.id);
      const result = await services.linked.unlink(interaction.user.id);
      return { content: unlinkedText(result, reply.t), components: [] };
    });
  },
};
