/**
 * Opens a followers/following list as a public, paged message owned by the person who asked and
 * written in their language (private where Flock's bot is not in the place): from /followers and
 * /following, and from the buttons on a /lookup card.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { recentScope } from '../discord/place.js';
import type { Responder } from '../discord/replies.js';
import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import type { Services } from '../services.js';
import type { FollowList, UserRef } from '../x/index.js';

export async function showList(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  services: Services,
  reply: Responder,
  list: FollowList,
  ref: UserRef,
): Promise<void> {
  // A cached account and page answer at once; the Responder defers only if X is slow.
  await reply.publicly(() =>
    explainXErrors(refLabel(ref), async () => {
      const account = await services.accounts.resolve(ref);
      const [rendered] = await Promise.all([
        services.paging.open(list, account, interaction.user.id, interaction.guildId, reply.t),
        services.accounts.remember(recentScope(interaction), account),
      ]);
      return rendered;
    }),
  );
}
