import { followReply } from '../src/accounts/follows.js';
import { assertCanMute, unmuteAccount } from '../src/accounts/mutes.js';
import { answeringRelink } from '../src/accounts/scopes.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const unmute = {
  data: {
    name: 'unmute',
    ...namedIn('moderation:unmute.name'),
    ...describedAs('moderation:unmute.description'),
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  needs: ['linked'],
  async execute(interaction, services, reply) {
    const ref = userRef(interaction);
    await answeringRelink(reply, async () => {
      await assertCanMute(services, interaction.user.id, ref, 'unmute');
      await reply.privately(async () =>
        followReply(await unmuteAccount(services, interaction.user.id, ref), reply.t),
      );
    });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
