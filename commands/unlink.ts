import { unlinkedText } from '../src/accounts/link-replies.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const unlink = {
  data: {
    name: 'unlink',
    ...namedIn('commands:unlink.name'),
    ...describedAs('commands:unlink.description'),
    ...ANYWHERE,
  },
  async execute(interaction, services, reply) {
    // Revoking at X may take a while: past the deadline the answer is deferred, then edited in.
    await reply.privately(async () => {
      // A /link button still pending must not link again after this.
      await services.linking.cancel(interaction.user.id);
      const result = await services.linked.unlink(interaction.user.id);
      return { content: unlinkedText(result, reply.t) };
    });
  },
} satisfies Command;
