import type { Command } from '../src/discord/command.js';
import { ANYWHERE, recentScope } from '../src/discord/place.js';
import { suggestAccounts, USER_OPTION, userRef } from '../src/discord/user-option.js';
import { explainXErrors, refLabel } from '../src/discord/x-error-text.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';
import { renderProfile } from '../src/paging/render-profile.js';

export const lookup = {
  data: {
    name: 'lookup',
    ...namedIn('commands:lookup.name'),
    ...describedAs('commands:lookup.description'),
    options: [USER_OPTION],
    ...ANYWHERE,
  },
  async execute(interaction, services, reply) {
    const ref = userRef(interaction);
    // A profile looked up in the last ten minutes is in the store: one response, no "thinking…".
    await reply.publicly(async () => {
      const account = await explainXErrors(refLabel(ref), () => services.accounts.resolve(ref));
      await services.accounts.remember(recentScope(interaction), account);
      return renderProfile(account, reply.t);
    });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
