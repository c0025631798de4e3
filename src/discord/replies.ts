/**
 * How the router and the list and lookup handlers answer an interaction: mentions parse nothing,
 * personal answers are ephemeral, and an answer is one response when it is ready in time.
 *
 * Discord needs a first response within 3 seconds. An answer that is ready well before that (a
 * refusal, a cached page or profile, a quick call to X) goes out as that response: one callback,
 * no "thinking…". Only an answer still being worked on at the deadline is deferred, then edited in
 * through the interaction's token (on InteractionWebhooks, outside the bot's global limit).
 */
import {
  type APIEmbed,
  type APIMessageTopLevelComponent,
  type JSONEncodable,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import { type Translator, translator } from '../i18n/translate.js';
import type { InteractionWebhooks, WebhookMessageBody } from './interaction-webhooks.js';
import { botIsHere } from './place.js';

export const NO_MENTIONS = { parse: [] } as const;

/** What an answer shows, as API JSON. */
export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  /** Flags the content needs (Components V2); whether it is ephemeral is the responder's to say. */
  flags?: number;
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
  publicly(work: () => Promise<ReplyPayload>): Promise<void> {
    return this.#answer(work, botIsHere(this.interaction) ? 0 : MessageFlags.Ephemeral);
  }

  /** A new message only the person who asked sees. */
  privately(work: () => Promise<ReplyPayload>): Promise<void> {
    return this.#answer(work, MessageFlags.Ephemeral);
  }

  /**
   * Changes the message the clicked button (or the form it opened) is on: one update, or a
   * deferred update then an edit.
   */
  async update(work: () => Promise<ReplyPayload>): Promise<void> {
    const interaction = this.interaction;
    if (!interaction.isMessageComponent() && !(interaction.isModalSubmit() && interaction.isFromMessage()))
      throw new Error('only a component interaction, or a form opened from one, can update');
    const answer = await this.#race(work, () => interaction.deferUpdate());
    if (answer.deferred) await this.#edit(answer.payload);
    else await interaction.update({ ...asSent(answer.payload), allowedMentions: NO_MENTIONS });
  }

  /**
   * A private note (a refusal, a failure) whatever has been sent so far. Ephemerality cannot change
   * after a deferral, so a public "thinking…" message is removed and the note follows privately.
   */
  async note(payload: ReplyPayload): Promise<void> {
    const interaction = this.interaction;
    if (!interaction.deferred && !interaction.replied) {
      await interaction.reply({
        ...asSent(payload),
        flags: (payload.flags ?? 0) | MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
    } else if (interaction.deferred && !interaction.replied && interaction.ephemeral !== null) {
      // deferReply (not deferUpdate, which leaves `ephemeral` null): its message is ours to replace.
      if (interaction.ephemeral) return this.#edit(payload);
      await this.webhooks.deleteOriginal(interaction);
      await this.#followUp(payload);
    } else {
      await this.#followUp(payload);
    }
  }

  async #answer(work: () => Promise<ReplyPayload>, ephemeral: number): Promise<void> {
    const interaction = this.interaction;
    const answer = await this.#race(work, () => interaction.deferReply({ flags: ephemeral }));
    if (answer.deferred) return this.#edit(answer.payload);
    await interaction.reply({
      ...asSent(answer.payload),
      flags: (answer.payload.flags ?? 0) | ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  }

  /**
   * Runs `work` against the deadline. Ready in time: the caller answers with it in one response.
   * Not ready: `defer` acknowledges now, and the caller edits the answer in when it comes. A
   * failure before the deadline leaves the interaction unanswered, for the router's one reply.
   */
  async #race(
    work: () => Promise<ReplyPayload>,
    defer: () => Promise<unknown>,
  ): Promise<{ payload: ReplyPayload; deferred: boolean }> {
    const interaction = this.interaction;
    // Already acknowledged by the handler itself: only an edit is left.
    if (interaction.deferred || interaction.replied) return { payload: await work(), deferred: true };
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
    await this.webhooks.editOriginal(this.interaction, body(payload));
    // What discord.js's own editReply records, so a later failure is answered as a follow-up.
    this.interaction.replied = true;
  }

  async #followUp(payload: ReplyPayload): Promise<void> {
    await this.webhooks.followUp(this.interaction, body(payload, MessageFlags.Ephemeral));
    this.interaction.replied = true;
  }
}

/**
 * The payload for discord.js's reply and update. Components and embeds are API JSON already;
 * wrapped as JSONEncodable, discord.js sends them as they are instead of walking the tree to turn
 * every key into snake_case, which for a list's 38 components cost more CPU than the rest of the reply.
 */
function asSent(payload: ReplyPayload) {
  return {
    ...payload,
    ...(payload.components ? { components: payload.components.map(asIs) } : {}),
    ...(payload.embeds ? { embeds: payload.embeds.map(asIs) } : {}),
  };
}

const asIs = <T>(value: T): JSONEncodable<T> => ({ toJSON: () => value });

function body(payload: ReplyPayload, flags = 0): WebhookMessageBody {
  const all = (payload.flags ?? 0) | flags;
  return { ...payload, ...(all ? { flags: all } : {}), allowed_mentions: { parse: [] } };
}
