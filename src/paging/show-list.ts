/**
 * Opens a followers/following list as a public, paged message owned by the person who asked:
 * from /followers and /following, and from the buttons on a /lookup card.
 */
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { answerPublicly } from '../discord/replies.js';
import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import type { Services } from '../services.js';
import type { FollowList, UserRef } from '../x/index.js';

export async function showList(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  services: Services,
  list: FollowList,
  ref: UserRef,
): Promise<void> {
  // X may take longer than Discord's 3 seconds: acknowledge first.
  await interaction.deferReply();
  const page = await explainXErrors(refLabel(ref), async () => {
    const account = await services.accounts.resolve(ref);
    const rendered = await services.paging.open(list, account, interaction.user.id, interaction.guildId);
    await services.accounts.remember(interaction.guildId, account);
    return rendered;
  });
  await answerPublicly(interaction, page);
}
