/** Clicks on a paged list's buttons (`page:go:<session>:<page>:<tag>`). */
import { MessageFlags, userMention } from 'discord.js';
import type { ButtonHandler } from '../discord/command.js';
import { NO_MENTIONS } from '../discord/replies.js';
import { explainXErrors } from '../discord/x-error-text.js';
import { disableAll, PAGE_NAMESPACE } from './render-page.js';

const NO_SUCH_PAGE =
  'That button does not lead to a page of this list. Use the buttons under the list to turn its pages.';

export const pageButtons: ButtonHandler = {
  namespace: PAGE_NAMESPACE,
  async handle(interaction, id, services) {
    const [sessionId = '', target = ''] = id.args;
    const pageIndex = parsePageIndex(target);
    const refusal = await services.paging.check(sessionId, interaction.user.id, pageIndex);
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
    if (refusal?.kind === 'no-page' || pageIndex === undefined) {
      await interaction.reply({
        content: NO_SUCH_PAGE,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    // A page not yet cached means a call to X: acknowledge first, then edit the message.
    await interaction.deferUpdate();
    const result = await explainXErrors('this account', () => services.paging.turn(sessionId, pageIndex));
    // The list expired, or (never, since pages only get reachable) turned unreachable meanwhile.
    if (result.kind !== 'page') return;
    await interaction.editReply({ content: '', ...result.rendered, allowedMentions: NO_MENTIONS });
  },
};

/** A page index as the buttons write it (digits only), else undefined: never NaN, never negative. */
function parsePageIndex(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}
