import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';
import { showOwnList } from '../src/paging/show-own-list.js';

/** The linked account's own mutes, privately. */
export const mutes = {
  data: {
    name: 'mutes',
    ...namedIn('moderation:mutes.name'),
    ...describedAs('moderation:mutes.description'),
    ...ANYWHERE,
  },
  needs: ['linked'],
  execute: (interaction, services, reply) => showOwnList(interaction, services, reply, 'muting'),
} satisfies Command;
