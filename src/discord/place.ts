/**
 * Where an interaction came from, as far as answering it goes. A command installed to a user runs
 * wherever the user is, also where Flock's bot is not a member (a server that did not add Flock,
 * a group DM): Flock can then answer only inside the interaction, and what it shows is the
 * user's, not the channel's, which never invited it.
 */
import { ApplicationIntegrationType, type BaseInteraction, InteractionContextType } from 'discord.js';

/**
 * A command that goes where the user goes: installable to a server and to a user, and run in
 * servers, the DM with the bot and private channels (group DMs included).
 */
export const ANYWHERE = {
  integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
  contexts: [
    InteractionContextType.Guild,
    InteractionContextType.BotDM,
    InteractionContextType.PrivateChannel,
  ],
};

/**
 * Whether Flock's bot is in the place: the DM with the bot, or a server whose own install of
 * Flock (the guild-install owner, keyed "0", naming this server) authorized the interaction.
 */
export function botIsHere(interaction: BaseInteraction): boolean {
  if (interaction.context === InteractionContextType.BotDM) return true;
  if (interaction.context === InteractionContextType.PrivateChannel) return false;
  const guildId = interaction.guildId;
  return guildId !== null && interaction.authorizingIntegrationOwners.guildId === guildId;
}

/**
 * Whose recently looked-up accounts autocomplete offers: a server's where Flock is installed in
 * it, else the person's own (in DMs, and in servers that did not add Flock, whose members should
 * not see one another's lookups through it).
 */
export function recentScope(interaction: BaseInteraction): string {
  return botIsHere(interaction) && interaction.guildId ? interaction.guildId : `user:${interaction.user.id}`;
}
