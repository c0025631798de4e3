/**
 * Opens the linked user's own blocks or mutes as a private paged list (/blocks, /mutes): only
 * they see it and only they can turn its pages. A link that lacks the list's scope is answered
 * with the Relink button, before anything is sent to X.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { answeringRelink } from '../accounts/scopes.js';
import type { Responder } from '../discord/replies.js';
import { explainXErrors } from '../discord/x-error-text.js';
import type { Services } from '../services.js';
import type { OwnList } from '../x/index.js';

export function showOwnList(
  interaction: ChatInputCommandInteraction,
  services: Services,
  reply: Responder,
  list: OwnList,
): Promise<void> {
  return answeringRelink(reply, () =>
    reply.privately(() =>
      explainXErrors(
        (t) => t('moderation:list.your-account'),
        () => services.paging.openOwn(list, interaction.user.id, interaction.guildId, reply.t),
      ),
    ),
  );
}
