/**
 * The messages a long read edits and sends after the command that started it has been answered:
 * through the webhook of the interaction that confirmed it (or of a later command that looked in),
 * on a REST client of its own as interaction-webhooks.ts explains, with files for exports.
 */
import { readFile } from 'node:fs/promises';
import { REST, Routes } from 'discord.js';
import type { ReplyPayload } from '../discord/replies.js';
import type { WebhookTarget } from './requests.js';

export interface Attachment {
  path: string;
  name: string;
}

export class WebhookMessages {
  readonly #rest: REST;

  constructor(api: string | undefined) {
    this.#rest = new REST({ ...(api ? { api } : {}), globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  }

  async editOriginal(target: WebhookTarget, payload: ReplyPayload): Promise<void> {
    await this.#rest.patch(Routes.webhookMessage(target.applicationId, target.token, '@original'), {
      body: body(payload),
      auth: false,
    });
  }

  /** A new message after the first; `ephemeral` for the asker alone. One file at most is read into memory at a time. */
  async followUp(
    target: WebhookTarget,
    payload: ReplyPayload,
    options: { ephemeral: boolean; file?: Attachment },
  ): Promise<void> {
    const flags = (payload.flags ?? 0) | (options.ephemeral ? 64 : 0);
    const file = options.file;
    await this.#rest.post(Routes.webhook(target.applicationId, target.token), {
      body: {
        ...body(payload),
        ...(flags ? { flags } : {}),
        ...(file ? { attachments: [{ id: 0, filename: file.name }] } : {}),
      },
      ...(file
        ? { files: [{ name: file.name, data: await readFile(file.path), contentType: 'text/csv' }] }
        : {}),
      auth: false,
    });
  }

  close(): void {
    this.#rest.clearHashSweeper();
    this.#rest.clearHandlerSweeper();
  }
}

function body(payload: ReplyPayload) {
  return { ...payload, allowed_mentions: { parse: [] } };
}
