/**
 * Autocomplete for /alerts chart and digest: the accounts this server has alerts for, matching
 * what was typed; answered from the store, well within Discord's 3 s.
 */
import type { AutocompleteInteraction } from 'discord.js';
import { xPlain } from '../discord/x-text.js';
import type { Services } from '../services.js';
import { USERNAME_PATTERN } from '../x/index.js';

export async function suggestWatched(
  interaction: AutocompleteInteraction,
  services: Services,
): Promise<void> {
  const typed = interaction.options.getFocused().replace(/^@/, '').toLowerCase();
  const subs = interaction.guildId ? await services.alerts.subscriptions.forGuild(interaction.guildId) : [];
  const seen = new Set<string>();
  const choices: { name: string; value: string }[] = [];
  for (const { account } of subs) {
    if (seen.has(account.id)) continue;
    seen.add(account.id);
    if (typed && !`${account.username} ${account.name}`.toLowerCase().includes(typed)) continue;
    const handle = `@${xPlain(account.username, 40)}`.replace(/\s+/g, ' ');
    const name = xPlain(account.name, 100 - handle.length - 3).replace(/\s+/g, ' ');
    choices.push({
      name: name ? `${name} (${handle})` : handle,
      value: USERNAME_PATTERN.test(account.username) ? account.username : account.id,
    });
  }
  await interaction.respond(choices.slice(0, 25));
}
