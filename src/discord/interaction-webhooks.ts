/**
 * An interaction's first response (its callback) and the routes its token opens after it (edit
 * the original message, follow up, delete), sent as API JSON on clients of their own so that they
 * never queue behind the bot's global rate limit: a callback without files on CallbackSender, the
 * rest on a REST client.
 *
 * Why not discord.js's reply and update: they build a MessagePayload from options meant for
 * people (camelCase, builders, files), which for a list's 38 components was the largest part of
 * an answer's CPU and garbage; Flock's payloads are API JSON already.
 *
 * Why a client of their own: Discord exempts interaction endpoints from a bot's global limit of 50
 * requests a second, but @discordjs/rest 2.x applies its own copy of that limit
 * (`globalRequestsPerSecond`) to every request of a REST instance in its SequentialHandler,
 * `auth: false` or not. Only interaction callbacks (`/interactions/:id/:token/callback`) go through
 * its BurstHandler, which skips the count; discord.js's editReply, followUp and deleteReply are
 * webhook routes and are held with the bot's channel messages once 50 went out in a second. This
 * client's global budget never runs out; Discord's own answers are still obeyed: each token's
 * route bucket (its X-RateLimit headers), and a 429 that Discord marks global.
 */
import {
  type APIEmbed,
  type APIMessageTopLevelComponent,
  type InteractionResponseType,
  REST,
  Routes,
} from 'discord.js';
import { CallbackSender } from './callback-sender.js';

/** The message body Flock sends on these routes: API JSON, mentions parsing nothing unless it says so. */
export interface WebhookMessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  /** One per file sent with the body, in order: `id` is the file's index. */
  attachments?: { id: number; filename: string; description?: string }[];
  allowed_mentions: { parse: [] } | { parse: []; roles: string[] };
}

/** A file sent with a message, which its components show as `attachment://<name>`. */
export interface MessageFile {
  name: string;
  data: Buffer;
  /** Alt text. */
  description?: string;
  contentType?: string;
}

/** What the routes after the first response need of the interaction: whose application, and its token. */
export interface InteractionToken {
  applicationId: string;
  token: string;
}

/** A first response: a message, an update of the clicked message, or a deferral of either. */
export interface InteractionCallback {
  type:
    | InteractionResponseType.ChannelMessageWithSource
    | InteractionResponseType.DeferredChannelMessageWithSource
    | InteractionResponseType.DeferredMessageUpdate
    | InteractionResponseType.UpdateMessage;
  data?: WebhookMessageBody | { flags: number };
}

export class InteractionWebhooks {
  readonly #rest: REST;
  /** Callbacks without files, every answer's one request, which need none of the REST client's queues. */
  readonly #callbacks: CallbackSender;

  /** `api` as discord.js takes it (`…/api`); Discord's when absent. */
  constructor(api?: string) {
    this.#rest = new REST({
      ...(api ? { api } : {}),
      globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    });
    this.#callbacks = new CallbackSender(api);
  }

  /** The interaction's first response, which Discord needs within 3 seconds of its dispatch. */
  async respond(
    interaction: { id: string; token: string },
    callback: InteractionCallback,
    files?: MessageFile[],
  ): Promise<void> {
    const route = Routes.interactionCallback(interaction.id, interaction.token);
    if (!files?.length) return this.#callbacks.post(route, callback);
    await this.#rest.post(route, { body: callback, ...withFiles(files), auth: false });
  }

  /** Edits the original response: the reply, or for a deferred update the message the button is on. */
  async editOriginal(
    interaction: InteractionToken,
    body: WebhookMessageBody,
    files?: MessageFile[],
  ): Promise<void> {
    await this.#rest.patch(Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'), {
      body,
      ...withFiles(files),
      auth: false,
    });
  }

  async deleteOriginal(interaction: InteractionToken): Promise<void> {
    await this.#rest.delete(
      Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'),
      {
        auth: false,
      },
    );
  }

  async followUp(
    interaction: InteractionToken,
    body: WebhookMessageBody,
    files?: MessageFile[],
  ): Promise<void> {
    await this.#rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
      body,
      ...withFiles(files),
      auth: false,
    });
  }

  /** Stops the REST client's sweep timers and closes the callbacks' connections. */
  async close(): Promise<void> {
    this.#rest.clearHashSweeper();
    this.#rest.clearHandlerSweeper();
    await this.#callbacks.close();
  }
}

/** A request with files goes as multipart/form-data, the body in its `payload_json` part. */
function withFiles(files: MessageFile[] | undefined) {
  if (!files?.length) return {};
  return {
    files: files.map(({ name, data, contentType }) => ({
      name,
      data,
      ...(contentType ? { contentType } : {}),
    })),
  };
}
