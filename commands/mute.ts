import { followReply } from '../src/accounts/follows.js';
import { assertCanMute, muteAccount } from '../src/accounts/mutes.js';
import { answeringRelink } from '../src/accounts/scopes.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';

export const mute = {
  data: {
    name: 'mute',
    ...namedIn('moderation:mute.name'),
    ...describedAs('moderation:mute.description'),
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  needs: ['linked'],
  async execute(interaction, services, reply) {
    const ref = userRef(interaction);
    await answeringRelink(reply, async () => {
      await assertCanMute(services, interaction.user.id, ref, 'mute');
      await reply.privately(async () =>
        followReply(await muteAccount(services, interaction.user.id, ref), reply.t),
      );
    });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
