/**
 * The buttons of /insights and /export: Confirm (`insights:ok:<request>`) and Cancel
 * (`insights:no:<request>`) on an estimate, Stop (`insights:stop:<request>`) on a read, and a
 * result's pages (`insights:go:<request>:<list>:<page>:<tag>`). Only the asker may use them;
 * anyone else gets a private note and changes nothing.
 */
import { type ButtonInteraction, userMention } from 'discord.js';
import type { ButtonHandler } from '../discord/command.js';
import type { CustomId } from '../discord/custom-id.js';
import type { Responder } from '../discord/replies.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import { RELATIONSHIP_LISTS, type ResultList, type WebhookTarget } from './requests.js';
import { noteView, progressView } from './views.js';
import { INSIGHTS_NAMESPACE } from './words.js';

/** An interaction's token, for edits and follow-ups, while it lives (with a minute to spare). */
export function webhookOf(interaction: {
  applicationId: string;
  token: string;
  createdTimestamp: number;
}): WebhookTarget {
  return {
    applicationId: interaction.applicationId,
    token: interaction.token,
    expiresAt: interaction.createdTimestamp + 14 * 60_000,
  };
}

const RESULT_LISTS: readonly string[] = [...RELATIONSHIP_LISTS, 'shared'];

export const insightsButtons: ButtonHandler = {
  namespace: INSIGHTS_NAMESPACE,
  async handle(interaction, id, services, reply) {
    const [requestId = ''] = id.args;
    switch (id.action) {
      case 'ok':
        return confirm(interaction, requestId, services, reply);
      case 'no':
        return dismiss(interaction, requestId, services, reply);
      case 'stop':
        return stop(interaction, requestId, services, reply);
      case 'go':
        return turn(interaction, id, services, reply);
      default:
        throw new UserError((t) => t('errors:old-button'));
    }
  },
};

const notOwner = (reply: Responder, ownerId: string) =>
  reply.note({ content: reply.t('insights:refusals.not-owner', { owner: userMention(ownerId) }) });

async function confirm(
  interaction: ButtonInteraction,
  requestId: string,
  services: Services,
  reply: Responder,
) {
  const t = reply.t;
  const outcome = await services.insights.confirm(requestId, interaction.user.id, webhookOf(interaction), t);
  if ('refused' in outcome) {
    if (outcome.ownerId) return notOwner(reply, outcome.ownerId);
    if (outcome.alreadyConfirmed) return reply.note({ content: outcome.refused });
    return reply.update(async () => noteView(outcome.refused));
  }
  const request = outcome.started;
  const total = request.reads.reduce((n, r) => n + r.expected, 0);
  const read = request.reads.reduce((n, r) => n + r.expected - r.toRead, 0);
  await reply.update(async () => progressView(request, { read, total, spentMicro: 0 }, t));
  // Read once the message shows progress: the read's edits then land on it.
  services.insights.launch(request.id);
}

async function dismiss(
  interaction: ButtonInteraction,
  requestId: string,
  services: Services,
  reply: Responder,
) {
  const outcome = await services.insights.dismiss(requestId, interaction.user.id);
  if (outcome.ownerId) return notOwner(reply, outcome.ownerId);
  const text = outcome.ok ? reply.t('insights:refusals.cancelled') : reply.t('insights:refusals.expired');
  await reply.update(async () => noteView(text));
}

async function stop(interaction: ButtonInteraction, requestId: string, services: Services, reply: Responder) {
  const outcome = await services.insights.cancel(requestId, interaction.user.id);
  if (outcome.ownerId) return notOwner(reply, outcome.ownerId);
  if (!outcome.ok) return reply.note({ content: reply.t('insights:refusals.expired') });
  // The read says how it ended, on this message, once it has stopped.
  await reply.acknowledgeClick();
}

async function turn(interaction: ButtonInteraction, id: CustomId, services: Services, reply: Responder) {
  const [requestId = '', list = '', pageText = ''] = id.args;
  const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : undefined;
  if (!RESULT_LISTS.includes(list) || page === undefined)
    throw new UserError((t) => t('paging:refusals.no-such-page'));
  const outcome = await services.insights.page(
    requestId,
    interaction.user.id,
    list as ResultList,
    page,
    reply.t,
  );
  if ('ownerId' in outcome) return notOwner(reply, outcome.ownerId);
  if ('gone' in outcome) return reply.note({ content: reply.t('insights:refusals.gone') });
  await reply.update(async () => outcome.payload);
}
