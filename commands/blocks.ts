import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';
import { showOwnList } from '../src/paging/show-own-list.js';

/** The linked account's own blocks, privately. There is no /block: X sells block writes only on Enterprise. */
export const blocks = {
  data: {
    name: 'blocks',
    ...namedIn('moderation:blocks.name'),
    ...describedAs('moderation:blocks.description'),
    ...ANYWHERE,
  },
  needs: ['linked'],
  execute: (interaction, services, reply) => showOwnList(interaction, services, reply, 'blocking'),
} satisfies Command;
