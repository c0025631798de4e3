/**
 * The one handler for every interaction: finds the command or button handler, gives it the
 * interaction's Responder, and owns what happens when one fails. A UserError is shown as written;
 * a failure X explains gets plain words; anything else is logged with the interaction's context
 * and answered with an apology, privately, in whatever form the interaction's state allows
 * (unanswered, deferred, or answered).
 */
import type { Interaction } from 'discord.js';
import { LockWaitTimeoutError } from '../coordination/errors.js';
import { ENGLISH, type Translator } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { isStoreAway } from '../store/store-error.js';
import { UserError } from '../user-error.js';
import { XError } from '../x/index.js';
import type { ButtonHandler, Command } from './command.js';
import { decodeCustomId } from './custom-id.js';
import type { InteractionWebhooks } from './interaction-webhooks.js';
import { checkPreconditions } from './preconditions.js';
import { Responder } from './replies.js';
import { xErrorText } from './x-error-text.js';

export type Router = (interaction: Interaction) => Promise<void>;

/** `webhooks` carries every answer: the one client for interaction routes, outside the global limit. */
export function createRouter(
  commands: readonly Command[],
  buttons: readonly ButtonHandler[],
  services: Services,
  webhooks: InteractionWebhooks,
): Router {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byNamespace = new Map(buttons.map((b) => [b.namespace, b]));

  async function route(interaction: Interaction): Promise<void> {
    const log = services.log.child(contextOf(interaction));
    // Made as the interaction arrives: the deadline for a one-response answer counts from here.
    const reply = interaction.isRepliable() ? new Responder(interaction, webhooks) : undefined;
    try {
      if (interaction.isChatInputCommand() && reply) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserError((t) => t('errors:unknown-command'));
        log.debug('command');
        await checkPreconditions(command.needs ?? [], interaction, services, command.needsText);
        await command.execute(interaction, services, reply);
      } else if (interaction.isAutocomplete()) {
        const command = byName.get(interaction.commandName);
        await (command?.autocomplete?.(interaction, services) ?? interaction.respond([]));
      } else if (interaction.isButton() && reply) {
        const id = decodeCustomId(interaction.customId);
        const handler = id && byNamespace.get(id.namespace);
        if (!id || !handler) throw new UserError((t) => t('errors:old-button'));
        log.debug('button');
        await handler.handle(interaction, id, services, reply);
      } else if (interaction.isModalSubmit() && reply) {
        // A form a button opened: its custom_id is in the button's namespace.
        const id = decodeCustomId(interaction.customId);
        const handler = id && byNamespace.get(id.namespace);
        if (!id || !handler?.submit) throw new UserError((t) => t('errors:old-form'));
        log.debug('form');
        await handler.submit(interaction, id, services, reply);
      }
    } catch (error) {
      await fail(reply, error, log);
    }
  }
  return route;
}

async function fail(reply: Responder | undefined, error: unknown, log: Logger): Promise<void> {
  if (!reply) return void logFailure(error, log);
  const text = logFailure(error, log, reply.t);
  try {
    await reply.note({ content: text });
  } catch (replyError) {
    log.warn('could not tell the user about a failure', { error: replyError });
  }
}

/** Logs `error` as what it is, and returns what the person is told, in their language. */
function logFailure(error: unknown, log: Logger, t: Translator = ENGLISH): string {
  let text: string;
  if (error instanceof UserError) {
    text = error.say(t);
    log.info('refused', {
      reason: error.message,
      cause: error.cause instanceof XError ? error.cause.kind : undefined,
    });
  } else if (error instanceof XError && xErrorText(error, t)) {
    text = xErrorText(error, t) ?? t('errors:apology');
    log.warn('X refused', { error });
  } else if (isStoreAway(error)) {
    // The process keeps its gateway while the store is away; the user can simply try again.
    text = t('errors:store-away');
    log.warn('the store is not answering', { error });
  } else if (error instanceof LockWaitTimeoutError) {
    // Another Flock process held what this needs (the user's link, a list) for the whole wait.
    text = t('errors:busy');
    log.warn('gave up waiting for a lock', { error });
  } else {
    text = t('errors:apology');
    log.error('interaction failed', { error });
  }
  return text;
}

function contextOf(interaction: Interaction): Record<string, unknown> {
  return {
    interactionId: interaction.id,
    userId: interaction.user.id,
    guildId: interaction.guildId ?? undefined,
    channelId: interaction.channelId ?? undefined,
    ...(interaction.isCommand() || interaction.isAutocomplete() ? { command: interaction.commandName } : {}),
    ...(interaction.isMessageComponent() ? { customId: interaction.customId } : {}),
  };
}
