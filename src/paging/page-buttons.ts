/** Clicks on a paged list's buttons (`page:go:<session>:<page>:<tag>`). */
import { MessageFlags, userMention } from 'discord.js';
import type { ButtonHandler } from '../discord/command.js';
import { NO_MENTIONS } from '../discord/replies.js';
import { explainXErrors } from '../discord/x-error-text.js';
import { disableAll, PAGE_NAMESPACE } from './render-page.js';

export const pageButtons: ButtonHandler = {
  namespace: PAGE_NAMESPACE,
  async handle(interaction, id, services) {
    const [sessionId = '', target = '0'] = id.args;
    const refusal = await services.paging.check(sessionId, interaction.user.id);
    if (refusal?.kind === 'not-owner') {
      await interaction.reply({
        content: `Only ${userMention(refusal.ownerId)} can turn these pages. Run \`/${refusal.list}\` yourself to browse this list.`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    if (refusal?.kind === 'expired') {
      await interaction.update({
        content: 'These buttons have expired. Run the command again to browse this list.',
        components: disableAll(
          interaction.message.components.map((row) => row.toJSON() as { components: unknown[] }),
        ),
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    // A page not yet cached means a call to X: acknowledge first, then edit the message.
    await interaction.deferUpdate();
    const result = await explainXErrors('this account', () =>
      services.paging.turn(sessionId, Number(target)),
    );
    if (result.kind !== 'page') return;
    await interaction.editReply({ content: '', ...result.rendered, allowedMentions: NO_MENTIONS });
  },
};
