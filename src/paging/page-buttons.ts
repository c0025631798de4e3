/**
 * Clicks on a paged list's buttons (`page:go:<session>:<page>:<tag>`), its "Go to page" button
 * (`page:ask:<session>`) and the form that button opens (`page:jump:<session>`). Everything is said
 * in the clicker's language: a page turned is the owner's own click, a refusal is the clicker's.
 */
import {
  type APIMessageTopLevelComponent,
  type ButtonInteraction,
  ComponentType,
  type Message,
  MessageFlags,
  type ModalSubmitInteraction,
  TextInputStyle,
  userMention,
} from 'discord.js';
import { answeringRelink } from '../accounts/scopes.js';
import type { ButtonHandler } from '../discord/command.js';
import { encodeCustomId } from '../discord/custom-id.js';
import type { ReplyPayload, Responder } from '../discord/replies.js';
import { textDisplay, V2 } from '../discord/v2.js';
import { explainXErrors } from '../discord/x-error-text.js';
import type { Translator, Wording } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import type { FollowList, OwnList } from '../x/index.js';
import { disableAll, PAGE_NAMESPACE } from './render-page.js';

const NO_SUCH_PAGE: Wording = (t) => t('paging:refusals.no-such-page');
const PAGE_FIELD = 'page';

export const pageButtons: ButtonHandler = {
  namespace: PAGE_NAMESPACE,
  async handle(interaction, id, services, reply) {
    const [sessionId = '', target = ''] = id.args;
    if (id.action === 'ask') return ask(interaction, sessionId, services, reply);
    const pageIndex = parsePageIndex(target);
    // An own list whose grant X stopped honouring is answered with the Relink button.
    await answeringRelink(reply, () =>
      turn(interaction, sessionId, pageIndex, services, reply, () => {
        throw new UserError(NO_SUCH_PAGE);
      }),
    );
  },

  async submit(interaction, id, services, reply) {
    const [sessionId = ''] = id.args;
    const typed = interaction.fields.getTextInputValue(PAGE_FIELD).trim();
    const page = parsePageIndex(typed);
    await answeringRelink(reply, () =>
      turn(
        interaction,
        sessionId,
        page === undefined || page < 1 ? undefined : page - 1,
        services,
        reply,
        async () => {
          const pages = await services.paging.reachablePages(sessionId);
          throw new UserError((t) =>
            t('paging:jump.out-of-reach', {
              typed: typed.slice(0, 12) || t('paging:jump.nothing'),
              pages: String(pages ?? 1),
              next: t('paging:buttons.next'),
            }),
          );
        },
      ),
    );
  },
};

/** Shows page `pageIndex` in the message the click (or the form it opened) came from. */
async function turn(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  sessionId: string,
  pageIndex: number | undefined,
  services: Services,
  reply: Responder,
  noPage: () => never | Promise<never>,
): Promise<void> {
  const message = interaction.message;
  if (!message) throw new Error('a page is turned on the message of the list');
  const refusal = await services.paging.check(sessionId, interaction.user.id, pageIndex);
  if (refusal?.kind === 'not-owner') {
    await reply.note({ content: notOwner(refusal, reply.t) });
    return;
  }
  if (refusal?.kind === 'expired') {
    await reply.update(async () => expired(message, reply.t));
    return;
  }
  if (refusal?.kind === 'no-page' || pageIndex === undefined) return noPage();
  // A cached page is one update of the message; X is waited for in it unless X is slow.
  await reply.update(async () => {
    const result = await explainXErrors(
      (t) => t('errors:x.this-account'),
      () => services.paging.turn(sessionId, pageIndex, reply.t),
    );
    if (result.kind === 'page') return { ...result.rendered, ...upgrade(message) };
    // The list expired since the click arrived.
    if (result.kind === 'expired') return expired(message, reply.t);
    // Never: pages only become reachable. A forged custom_id that got this far is refused.
    throw new UserError(NO_SUCH_PAGE);
  });
}

/** "Go to page": a form asking for a page number, for the list's owner only. */
async function ask(
  interaction: ButtonInteraction,
  sessionId: string,
  services: Services,
  reply: Responder,
): Promise<void> {
  const refusal = await services.paging.check(sessionId, interaction.user.id, 0);
  if (refusal?.kind === 'not-owner') {
    await reply.note({ content: notOwner(refusal, reply.t) });
    return;
  }
  const pages = await services.paging.reachablePages(sessionId);
  if (refusal?.kind === 'expired' || pages === undefined) {
    await reply.update(async () => expired(interaction.message, reply.t));
    return;
  }
  // A modal must be the first response: it is never deferred.
  await interaction.showModal({
    custom_id: encodeCustomId(PAGE_NAMESPACE, 'jump', sessionId),
    title: reply.t('paging:jump.title'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: PAGE_FIELD,
            style: TextInputStyle.Short,
            // Digits as they are to be typed: the field takes no grouping (1,234 or 1.234).
            label: reply.t('paging:jump.label', { pages: String(pages) }),
            placeholder: String(pages),
            min_length: 1,
            max_length: 9,
            required: true,
          },
        ],
      },
    ],
  });
}

function notOwner(refusal: { ownerId: string; list: FollowList | OwnList }, t: Translator): string {
  // The command as the reader's Discord lists it: its name is translated too.
  const { list } = refusal;
  const command =
    list === 'blocking'
      ? t('moderation:blocks.name')
      : list === 'muting'
        ? t('moderation:mutes.name')
        : t(`commands:${list}.name`);
  return t('paging:refusals.not-owner', { owner: userMention(refusal.ownerId), command });
}

function expired(message: Message, t: Translator): ReplyPayload {
  const note = t('paging:refusals.expired');
  const shown = disableAll(
    message.components.map((component) => component.toJSON() as APIMessageTopLevelComponent),
  );
  // A V2 message has no content: the note is one more TextDisplay (40 components of 40 at most).
  if (isV2(message)) return { components: [...shown, textDisplay(`-# ${note}`)], flags: V2 };
  return { content: note, components: shown };
}

const isV2 = (message: Message) => message.flags.has(MessageFlags.IsComponentsV2);

/**
 * A list posted before Flock's lists became V2 is an embed: the update that makes it V2 must clear
 * what it showed, or Discord refuses it. A V2 message is sent no content at all.
 */
function upgrade(message: Message): ReplyPayload {
  return isV2(message) ? {} : { content: '', embeds: [] };
}

/** A page index as the buttons write it (digits only), else undefined: never NaN, never negative. */
function parsePageIndex(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}
