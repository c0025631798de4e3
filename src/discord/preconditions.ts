/**
 * What a command needs before it may run, declared beside its definition (`needs`) and checked by
 * the router before the handler sees the interaction, each with its answer written once here.
 * Discord's own settings (contexts, default_member_permissions) hide a command where it cannot
 * run, but a server's admins can change who sees it, so each need is checked again.
 */
import { type ChatInputCommandInteraction, PermissionFlagsBits } from 'discord.js';
import { NotLinkedError } from '../accounts/linked-accounts.js';
import type { Wording } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import { botIsHere } from './place.js';

export type Precondition =
  /** Run in a server that added Flock (not a DM, not a user install elsewhere). */
  | 'server'
  /** The member has Manage Server there. */
  | 'manage-server'
  /** The user has linked an X account. */
  | 'linked';

export const PRECONDITION_TEXT: Record<Exclude<Precondition, 'linked'>, Wording> = {
  server: (t) => t('errors:server-only'),
  'manage-server': (t) => t('errors:manage-server'),
};

/**
 * Throws the UserError of the first need `interaction` does not meet; `commandText` replaces the
 * generic words for a command that says it better (e.g. what Manage Server is needed for).
 */
export async function checkPreconditions(
  needs: readonly Precondition[],
  interaction: ChatInputCommandInteraction,
  services: Services,
  commandText: Partial<Record<Precondition, Wording>> = {},
): Promise<void> {
  for (const need of needs) {
    if (need === 'server' && !(interaction.inGuild() && botIsHere(interaction)))
      throw new UserError(commandText.server ?? PRECONDITION_TEXT.server);
    if (need === 'manage-server' && !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
      throw new UserError(commandText['manage-server'] ?? PRECONDITION_TEXT['manage-server']);
    if (need === 'linked' && !(await services.linked.get(interaction.user.id))) throw new NotLinkedError();
  }
}
