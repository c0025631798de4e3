/**
 * What the page asks for, done the way Discord does it: a slash command, a click, a submitted
 * form or an autocomplete request becomes an interaction the Discord emulator sends to Flock, and
 * whatever Flock answers (replies, edits, follow-ups, forms) goes to the message log as it comes.
 */
import type { Channel, DiscordUser } from '../test/emulators/discord/guilds.js';
import { type Interaction, type Message, MessageFlags } from '../test/emulators/discord/interactions.js';
import type { Actor, DiscordEmulator, RegisteredCommand } from '../test/emulators/discord/server.js';
import { optionDefs, optionValues, RequestError } from './command-options.js';
import type { MessageLog } from './message-log.js';

export interface CommandRequest {
  userId: string;
  channelId: string;
  name: string;
  subcommand?: string;
  options: Record<string, string>;
}

/** Discord waits this long for the first answer, then says the application did not respond. */
const ACK_WINDOW_MS = 3_000;
/** An interaction's token works for 15 minutes: after that nothing can change its messages. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
const AUTOCOMPLETE_WAIT_MS = 3_000;

export class Interactions {
  constructor(
    private readonly discord: DiscordEmulator,
    private readonly log: MessageLog,
    /** The people the page may act as. */
    private readonly people: readonly DiscordUser[],
  ) {}

  /** The commands registered in the playground's server. */
  commands(): RegisteredCommand[] {
    return this.discord.guildCommands.get(this.discord.guild.id) ?? [];
  }

  command(request: CommandRequest): void {
    const { actor, command, subcommand, values } = this.#resolve(request, false);
    this.#track(
      this.#attempt(() => this.discord.command(command.name, values, actor, subcommand)),
      actor,
    );
  }

  async autocomplete(request: CommandRequest & { focused: string }): Promise<unknown[]> {
    const { actor, command, subcommand, values } = this.#resolve(request, true);
    // The focused option is sent as typed so far, even when it does not read as a value yet.
    values[request.focused] = request.options[request.focused] ?? '';
    const interaction = this.#attempt(() =>
      this.discord.autocomplete(command.name, values, request.focused, actor, subcommand),
    );
    return interaction.autocompleteChoices(AUTOCOMPLETE_WAIT_MS).catch(() => []);
  }

  click(userId: string, messageId: string, customId: string): void {
    const { message, actor } = this.#onMessage(userId, messageId);
    this.#track(
      this.#attempt(() => this.discord.click(message, customId, actor)),
      actor,
    );
  }

  submitModal(
    userId: string,
    channelId: string,
    customId: string,
    fields: Record<string, string>,
    messageId?: string,
  ): void {
    const source = messageId ? this.#onMessage(userId, messageId) : undefined;
    const actor = source?.actor ?? this.#actor(userId, channelId);
    this.#track(
      this.#attempt(() => this.discord.submitModal(customId, fields, actor, source?.message)),
      actor,
    );
  }

  #resolve(request: CommandRequest, partial: boolean) {
    const actor = this.#actor(request.userId, request.channelId);
    const command = this.commands().find((c) => c.name === request.name);
    if (!command) throw new RequestError(`There is no /${request.name} command.`);
    const defs = optionDefs(command, request.subcommand);
    const values = optionValues(command, defs, request.options, this.discord.guild, partial);
    return { actor, command, subcommand: request.subcommand, values };
  }

  #actor(userId: string, channelId: string): Actor & { user: DiscordUser; channel: Channel } {
    const user = this.people.find((u) => u.id === userId);
    if (!user) throw new RequestError('Pick one of the demo users.');
    const channel = this.discord.guild.channel(channelId);
    if (!channel) throw new RequestError('There is no such channel.');
    return { user, channel };
  }

  /** A message the user can see, and the actor clicking on it in its channel. */
  #onMessage(userId: string, messageId: string) {
    const shown = this.log.get(messageId);
    if (!shown || (shown.onlyFor && shown.onlyFor !== userId))
      throw new RequestError('There is no such message.');
    return { message: shown.message, actor: this.#actor(userId, shown.message.channel_id) };
  }

  /** The emulator refuses what Discord would not send (a disabled button, a missing option) by throwing. */
  #attempt(send: () => Interaction): Interaction {
    try {
      return send();
    } catch (error) {
      throw new RequestError((error as Error).message);
    }
  }

  /** Sends what the interaction's messages become to the log, for as long as its token can change them. */
  #track(interaction: Interaction, actor: { user: DiscordUser; channel: Channel }): void {
    const mine = new Map<string, Message>();
    let modalShown = false;
    const onChange = () => {
      const current = [interaction.original, ...interaction.followups].filter((m): m is Message => !!m);
      for (const message of current) {
        mine.set(message.id, message);
        this.log.upsert(message, message.flags & MessageFlags.Ephemeral ? actor.user.id : undefined);
      }
      for (const [id, message] of mine) {
        const ephemeral = message.flags & MessageFlags.Ephemeral;
        const kept = ephemeral
          ? current.includes(message)
          : this.discord.messages(message.channel_id).includes(message);
        if (!kept) {
          mine.delete(id);
          this.log.remove(id);
        }
      }
      if (interaction.modal && !modalShown) {
        modalShown = true;
        this.log.modal({
          onlyFor: actor.user.id,
          channelId: actor.channel.id,
          ...(interaction.sourceMessage ? { messageId: interaction.sourceMessage.id } : {}),
          modal: interaction.modal,
        });
      }
    };
    interaction.on('change', onChange);
    setTimeout(() => interaction.off('change', onChange), TOKEN_LIFETIME_MS + 1_000).unref();
    setTimeout(() => {
      if (!interaction.acknowledged)
        this.log.notice(actor.user.id, actor.channel.id, 'The application did not respond.');
    }, ACK_WINDOW_MS + 200).unref();
  }
}
