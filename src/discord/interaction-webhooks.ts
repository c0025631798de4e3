/**
 * The routes an interaction's token opens after its first response (edit the original message,
 * follow up, delete), sent on a REST client of their own so that they never queue behind the
 * bot's global rate limit.
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
import { type APIEmbed, type APIMessageTopLevelComponent, REST, Routes } from 'discord.js';

/** The message body Flock sends on these routes: API JSON, mentions parsing nothing unless it says so. */
export interface WebhookMessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  allowed_mentions: { parse: [] } | { parse: []; roles: string[] };
}

/** What a route needs to know of the interaction: whose application, and its token. */
export interface InteractionToken {
  applicationId: string;
  token: string;
}

export class InteractionWebhooks {
  readonly #rest: REST;

  /** `api` as discord.js takes it (`…/api`); Discord's when absent. */
  constructor(api?: string) {
    this.#rest = new REST({
      ...(api ? { api } : {}),
      globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    });
  }

  /** Edits the original response: the reply, or for a deferred update the message the button is on. */
  async editOriginal(interaction: InteractionToken, body: WebhookMessageBody): Promise<void> {
    await this.#rest.patch(Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'), {
      body,
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

  async followUp(interaction: InteractionToken, body: WebhookMessageBody): Promise<void> {
    await this.#rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
      body,
      auth: false,
    });
  }

  /** Stops the client's sweep timers. */
  close(): void {
    this.#rest.clearHashSweeper();
    this.#rest.clearHandlerSweeper();
  }
}
