/**
 * What /insights and /export do with a command: resolve the accounts named (a lookup each, cached
 * ten minutes; never a list read), ask for the estimate, answer privately, and then do what the
 * answer leaves for the interaction's webhook (a result or CSV files from today's reads).
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { botIsHere, recentScope } from '../discord/place.js';
import type { Responder } from '../discord/replies.js';
import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import type { Services } from '../services.js';
import { parseUserRef, type XUser } from '../x/index.js';
import { webhookOf } from './buttons.js';
import type { Answer } from './insights.js';
import type { AccountInfo, Want } from './requests.js';

/** Discord's attachment limit before it sent one with each interaction (10 MiB). */
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export function accountInfo(user: XUser): AccountInfo {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    followers: user.public_metrics?.followers_count ?? 0,
    following: user.public_metrics?.following_count ?? 0,
    protected: user.protected === true,
  };
}

/** The account an option names, looked up; a malformed reference is refused before X is asked. */
export async function resolveAccount(
  interaction: ChatInputCommandInteraction,
  services: Services,
  typed: string,
): Promise<AccountInfo> {
  const ref = parseUserRef(typed);
  const user = await explainXErrors(refLabel(ref), () => services.accounts.resolve(ref));
  await services.accounts.remember(recentScope(interaction), user);
  return accountInfo(user);
}

export async function askInsights(
  interaction: ChatInputCommandInteraction,
  services: Services,
  reply: Responder,
  want: () => Promise<Want>,
): Promise<void> {
  let asking: Promise<Answer> | undefined;
  const replied = reply.privately(async () => {
    asking = (async () =>
      services.insights.ask(
        {
          ownerId: interaction.user.id,
          locale: interaction.locale,
          publicResult: botIsHere(interaction),
          attachmentLimit: interaction.attachmentSizeLimit || DEFAULT_ATTACHMENT_LIMIT,
          want: await want(),
        },
        reply.t,
      ))();
    return (await asking).payload;
  });
  try {
    await replied;
  } catch (error) {
    // The answer can still come after the reply failed (a deferral Discord refused, say): what it
    // holds for its follow-up is let go then, not kept for good.
    void asking?.then(
      (answer) => answer.abandon?.(),
      () => undefined,
    );
    throw error;
  }
  const answer = await asking;
  await answer?.after?.(webhookOf(interaction));
}
