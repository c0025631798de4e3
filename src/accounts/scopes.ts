/**
 * What a link lets Flock do at X: the scopes X granted with it. Links made before Flock asked for
 * blocks and mutes lack those scopes, and a record that names no scopes at all is read as the old
 * set. Such a user is asked to relink when they first use a command that needs the new scopes, and
 * never otherwise: everything else keeps working on the old grant.
 */
import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import type { Responder } from '../discord/replies.js';
import type { Translator } from '../i18n/translate.js';
import { UserError } from '../user-error.js';
import { BLOCKS_MUTES_SCOPES, LINK_SCOPES, type OwnList } from '../x/index.js';
import { LINK_NAMESPACE } from './link-replies.js';
import type { Link } from './links.js';

/** Everything Flock asks X for when someone links. */
export const REQUESTED_SCOPES: readonly string[] = [...LINK_SCOPES, ...BLOCKS_MUTES_SCOPES];

/** What each of the newer commands needs of the grant. */
export type ScopeNeed = OwnList | 'mute-write';
export const SCOPE_FOR: Readonly<Record<ScopeNeed, string>> = {
  blocking: 'block.read',
  muting: 'mute.read',
  'mute-write': 'mute.write',
};

/** The scopes X granted with this link; a record that names none predates keeping them. */
export function grantedScopes(link: Link): readonly string[] {
  const scopes = link.tokens.scopes;
  return Array.isArray(scopes) && scopes.length > 0 ? scopes : LINK_SCOPES;
}

export function grants(link: Link, need: ScopeNeed): boolean {
  return grantedScopes(link).includes(SCOPE_FOR[need]);
}

/**
 * The link lacks a scope X must grant for this (the grant predates it, or X refused the token
 * for it): the user relinks. A UserError, so that where no handler adds the Relink button the
 * words still reach the user.
 */
export class RelinkNeededError extends UserError {
  constructor(
    readonly need: ScopeNeed,
    options?: ErrorOptions,
  ) {
    super((t) => relinkText(need, t), options);
  }
}

function relinkText(need: ScopeNeed, t: Translator): string {
  const relink = t('accounts:link.relink');
  if (need === 'blocking') return t('moderation:relink.blocking', { relink });
  if (need === 'muting') return t('moderation:relink.muting', { relink });
  return t('moderation:relink.mute-write', { relink });
}

/** Throws RelinkNeededError, before anything is sent to X, when the link lacks what `need` needs. */
export function assertGrants(link: Link, need: ScopeNeed): void {
  if (!grants(link, need)) throw new RelinkNeededError(need);
}

/** The private answer to a link that lacks a scope: what is missing, and the Relink button. */
export function relinkPrompt(
  error: RelinkNeededError,
  t: Translator,
): { content: string; components: APIActionRowComponent<APIButtonComponent>[] } {
  return {
    content: error.say(t),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: t('accounts:link.relink'),
            // The /link reply's own Relink button: it starts a new attempt and edits this message.
            custom_id: encodeCustomId(LINK_NAMESPACE, 'relink'),
          },
        ],
      },
    ],
  };
}

/** Runs `answer`; a link that lacks a scope is answered privately with the Relink button. */
export async function answeringRelink(reply: Responder, answer: () => Promise<void>): Promise<void> {
  try {
    await answer();
  } catch (error) {
    if (!(error instanceof RelinkNeededError)) throw error;
    await reply.note(relinkPrompt(error, reply.t));
  }
}
