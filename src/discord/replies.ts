/**
 * Every reply Flock sends goes through here: mentions parse nothing unless a caller names a
 * role, personal answers are ephemeral, and the answer takes the form the interaction's state
 * allows (reply, edit of a deferral, or follow-up).
 */
import {
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';

export const NO_MENTIONS = { parse: [] } as const;

export type ReplyPayload = Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components'>;

/**
 * Sends an ephemeral answer whatever the interaction's state. Ephemerality cannot change after
 * a deferral, so a public "thinking…" message is removed and the answer follows privately.
 */
export async function answerPrivately(
  interaction: RepliableInteraction,
  payload: ReplyPayload,
): Promise<void> {
  const body = { ...payload, allowedMentions: NO_MENTIONS };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral !== null) {
    // deferReply (not deferUpdate, which leaves `ephemeral` null): its message is ours to replace.
    if (interaction.ephemeral) {
      await interaction.editReply(body as InteractionEditReplyOptions);
      return;
    }
    await interaction.deleteReply();
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  }
}

/** Sends (or edits into) the public answer of a command that deferred publicly. */
export async function answerPublicly(
  interaction: RepliableInteraction,
  payload: ReplyPayload,
): Promise<void> {
  const body = { ...payload, allowedMentions: NO_MENTIONS };
  if (interaction.deferred || interaction.replied)
    await interaction.editReply(body as InteractionEditReplyOptions);
  else await interaction.reply(body);
}
