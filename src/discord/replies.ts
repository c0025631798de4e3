/**
 * How the router and every handler answer an interaction: mentions parse nothing, personal
 * answers are ephemeral, and an answer is one response when it is ready in time.
 *
 * Discord needs a first response within 3 seconds. An answer that is ready well before that (a
 * refusal, a cached page or profile, a quick call to X) goes out as that response: one callback,
 * no "thinking…". An answer still being worked on at the deadline is deferred, then edited in
 * through the interaction's token; so is one with no time left to wait, or whose work holds the
 * event loop (#race). Every response, edit and follow-up goes out as API JSON on
 * InteractionWebhooks, outside the bot's global limit.
 */
import {
  type APIEmbed,
  type APIMessageTopLevelComponent,
  InteractionResponseType,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import { type Translator, translator } from '../i18n/translate.js';
import type {
  InteractionCallback,
  InteractionWebhooks,
  MessageFile,
  WebhookMessageBody,
} from './interaction-webhooks.js';
import { botIsHere } from './place.js';

export interface WorkOptions {
  /**
   * The work holds the event loop for a while (drawing a chart): the answer is deferred before it
   * starts, since the deadline's timer could not fire during it.
   */
  blocking?: boolean;
}

/** What an answer shows, as API JSON. */
export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  /** Flags the content needs (Components V2); whether it is ephemeral is the responder's to say. */
  flags?: number;
  /** Files the message carries (a chart), shown by its components as `attachment://<name>`. */
  files?: MessageFile[];
}

/**
 * How long an answer may take, from the interaction's arrival, before Flock defers. Discord's
 * 3 seconds run from its dispatch, and the gateway's delivery and the deferral's own trip come out
 * of them: at 1.5 s the deferral has as long again, on a slow network or a busy event loop.
 */
export const ANSWER_DEADLINE_MS = 1500;
/** And at the latest this long after Discord's own timestamp on the interaction, for one delivered late. */
const DECIDE_BY_MS = 2000;

/** One interaction's answers; the router makes one as the interaction arrives. */
export class Responder {
  /** When (on performance.now()) an answer not yet ready is deferred. */
  readonly #deadline: number;
  /** The words of the person who asked: their Discord client's language. */
  readonly t: Translator;

  constructor(
    readonly interaction: RepliableInteraction,
    private readonly webhooks: InteractionWebhooks,
    deadlineMs = ANSWER_DEADLINE_MS,
  ) {
    // A clock ahead of Discord's makes this sooner, one behind changes nothing: never later than deadlineMs.
    const late = Math.max(0, Date.now() - interaction.createdTimestamp);
    this.#deadline = performance.now() + Math.max(0, Math.min(deadlineMs, DECIDE_BY_MS - late));
    this.t = translator(interaction.locale);
  }

  /**
   * A new message for everyone in the channel, with what `work` returns, where Flock's bot is a
   * member of the place. Where it is not (a user's own install in a server that did not add
   * Flock, a group DM), only the person who asked sees it: the list is theirs, not the channel's.
   */
  publicly(work: () => Promise<ReplyPayload>, options?: WorkOptions): Promise<void> {
    return this.#answer(work, botIsHere(this.interaction) ? 0 : MessageFlags.Ephemeral, options);
  }

  /** A new message only the person who asked sees. */
  privately(work: () => Promise<ReplyPayload>, options?: WorkOptions): Promise<void> {
    return this.#answer(work, MessageFlags.Ephemeral, options);
  }

  /**
   * Changes the message the clicked button (or the form it opened) is on: one update, or a
   * deferred update then an edit.
   */
  async update(work: () => Promise<ReplyPayload>): Promise<void> {
    this.#mustBeOnAMessage();
    const answer = await this.#race(work, () => this.acknowledgeClick());
    if (answer.deferred) await this.#edit(answer.payload);
    else await this.#respond(InteractionResponseType.UpdateMessage, answer.payload);
  }

  /**
   * Acknowledges a click and leaves its message as it is, for something else to change later
   * (a long read that says on it how it ended).
   */
  async acknowledgeClick(): Promise<void> {
    this.#mustBeOnAMessage();
    await this.#respond(InteractionResponseType.DeferredMessageUpdate);
  }

  #mustBeOnAMessage(): void {
    const interaction = this.interaction;
    if (!interaction.isMessageComponent() && !(interaction.isModalSubmit() && interaction.isFromMessage()))
      throw new Error('only a component interaction, or a form opened from one, can update');
  }

  /**
   * A private note (a refusal, a failure) whatever has been sent so far. Ephemerality cannot change
   * after a deferral, so a public "thinking…" message is removed and the note follows privately.
   */
  async note(payload: ReplyPayload): Promise<void> {
    const interaction = this.interaction;
    if (!interaction.deferred && !interaction.replied) {
      await this.#respond(InteractionResponseType.ChannelMessageWithSource, payload, MessageFlags.Ephemeral);
    } else if (interaction.deferred && !interaction.replied && interaction.ephemeral !== null) {
      // A deferred reply (not a deferred update, which leaves `ephemeral` null): its message is ours to replace.
      if (interaction.ephemeral) return this.#edit(payload);
      await this.webhooks.deleteOriginal(interaction);
      await this.followUp(payload);
    } else {
      await this.followUp(payload);
    }
  }

  /** Another private message after the answer (the rest of a list too long for one). */
  async followUp(payload: ReplyPayload): Promise<void> {
    const { json, files } = sent(payload, MessageFlags.Ephemeral);
    await this.webhooks.followUp(this.interaction, json, files);
    this.interaction.replied = true;
  }

  async #answer(work: () => Promise<ReplyPayload>, ephemeral: number, options?: WorkOptions): Promise<void> {
    const answer = await this.#race(
      work,
      () => this.#respond(InteractionResponseType.DeferredChannelMessageWithSource, undefined, ephemeral),
      options,
    );
    if (answer.deferred) return this.#edit(answer.payload);
    await this.#respond(InteractionResponseType.ChannelMessageWithSource, answer.payload, ephemeral);
  }

  /**
   * Sends the first response, then records it on the interaction as discord.js's own reply, update
   * and defer methods would, for what reads them later (this class, the router).
   */
  async #respond(type: InteractionCallback['type'], payload?: ReplyPayload, flags = 0): Promise<void> {
    const interaction = this.interaction;
    if (payload) {
      const { json, files } = sent(payload, flags);
      await this.webhooks.respond(interaction, { type, data: json }, files);
    } else {
      await this.webhooks.respond(interaction, { type, ...(flags ? { data: { flags } } : {}) });
    }
    const ephemeral = Boolean(((payload?.flags ?? 0) | flags) & MessageFlags.Ephemeral);
    switch (type) {
      case InteractionResponseType.DeferredChannelMessageWithSource:
        interaction.deferred = true;
        interaction.ephemeral = ephemeral;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        interaction.deferred = true;
        break;
      case InteractionResponseType.ChannelMessageWithSource:
        interaction.replied = true;
        interaction.ephemeral = ephemeral;
        break;
      case InteractionResponseType.UpdateMessage:
        interaction.replied = true;
        break;
    }
  }

  /**
   * Runs `work` against the deadline. Ready in time: the caller answers with it in one response.
   * Not ready: `defer` acknowledges now, and the caller edits the answer in when it comes. A
   * failure before the deadline leaves the interaction unanswered, for the router's one reply.
   *
   * With no time left (the gateway delivered the interaction late), or for work that holds the
   * event loop (`blocking`, which no timer can interrupt), the acknowledgement goes first and the
   * work starts only once Discord took it: a follow or an unlink is never carried out for an
   * interaction Discord has already given up on.
   */
  async #race(
    work: () => Promise<ReplyPayload>,
    defer: () => Promise<unknown>,
    options: WorkOptions = {},
  ): Promise<{ payload: ReplyPayload; deferred: boolean }> {
    const interaction = this.interaction;
    // Already acknowledged by the handler itself: only an edit is left.
    if (interaction.deferred || interaction.replied) return { payload: await work(), deferred: true };
    if (options.blocking || this.#deadline - performance.now() <= 0) {
      await defer();
      return { payload: await work(), deferred: true };
    }
    const pending = work();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, this.#deadline - performance.now()));
    });
    try {
      const ready = await Promise.race([pending.then((payload) => ({ payload })), late]);
      if (ready) return { payload: ready.payload, deferred: false };
    } finally {
      clearTimeout(timer);
    }
    await defer();
    return { payload: await pending, deferred: true };
  }

  async #edit(payload: ReplyPayload): Promise<void> {
    const { json, files } = sent(payload);
    await this.webhooks.editOriginal(this.interaction, json, files);
    // What discord.js's own editReply records, so a later failure is answered as a follow-up.
    this.interaction.replied = true;
  }
}

/** The API JSON of an answer, and the files that go beside it (each named in `attachments`). */
function sent(payload: ReplyPayload, flags = 0): { json: WebhookMessageBody; files?: MessageFile[] } {
  const { files, ...rest } = payload;
  const all = (rest.flags ?? 0) | flags;
  const json: WebhookMessageBody = {
    ...rest,
    ...(all ? { flags: all } : {}),
    allowed_mentions: { parse: [] },
  };
  if (!files?.length) return { json };
  json.attachments = files.map((file, id) => ({
    id,
    filename: file.name,
    ...(file.description ? { description: file.description } : {}),
  }));
  return { json, files };
}
