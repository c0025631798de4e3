/** Clicks on a paged list's buttons (`page:go:<session>:<page>:<tag>`). */
import { type ButtonInteraction, userMention } from 'discord.js';
import type { ButtonHandler } from '../discord/command.js';
import type { ReplyPayload } from '../discord/replies.js';
import { explainXErrors } from '../discord/x-error-text.js';
import { UserError } from '../user-error.js';
import { disableAll, PAGE_NAMESPACE } from './render-page.js';

const NO_SUCH_PAGE =
  'That button does not lead to a page of this list. Use the buttons under the list to turn its pages.';

export const pageButtons: ButtonHandler = {
  namespace: PAGE_NAMESPACE,
  async handle(interaction, id, services, reply) {
    const [sessionId = '', target = ''] = id.args;
    const pageIndex = parsePageIndex(target);
    const refusal = await services.paging.check(sessionId, interaction.user.id, pageIndex);
    if (refusal?.kind === 'not-owner') {
      await reply.note({
        content: `Only ${userMention(refusal.ownerId)} can turn these pages. Run \`/${refusal.list}\` yourself to browse this list.`,
      });
      return;
    }
    if (refusal?.kind === 'expired') {
      await reply.update(async () => expired(interaction));
      return;
    }
    if (refusal?.kind === 'no-page' || pageIndex === undefined) throw new UserError(NO_SUCH_PAGE);
    // A cached page is one update of the message; X is waited for in it unless X is slow.
    await reply.update(async () => {
      const result = await explainXErrors('this account', () => services.paging.turn(sessionId, pageIndex));
      if (result.kind === 'page') return { content: '', ...result.rendered };
      // The list expired since the click arrived.
      if (result.kind === 'expired') return expired(interaction);
      // Never: pages only become reachable. A forged custom_id that got this far is refused.
      throw new UserError(NO_SUCH_PAGE);
    });
  },
};

function expired(interaction: ButtonInteraction): ReplyPayload {
  return {
    content: 'These buttons have expired. Run the command again to browse this list.',
    components: disableAll(
      interaction.message.components.map((row) => row.toJSON() as { components: unknown[] }),
    ),
  };
}

/** A page index as the buttons write it (digits only), else undefined: never NaN, never negative. */
function parsePageIndex(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}
