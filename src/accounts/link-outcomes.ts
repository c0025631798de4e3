/**
 * How a step of the link flow ends, as the web layer maps it to a page, and what the /link reply
 * says for the endings the person who ran it should hear about.
 */
import { DiscordOAuthError } from '../discord/oauth.js';
import type { Wording } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import { UserError } from '../user-error.js';
import { XError, XUnauthorizedError } from '../x/index.js';

export type FlowEnding = (
  | { kind: 'linked'; username: string; roles: boolean }
  | { kind: 'verified'; username: string }
  | {
      kind:
        | 'denied'
        | 'missing'
        | 'unknown'
        | 'expired'
        | 'other-browser'
        | 'wrong-user'
        | 'x-taken'
        | 'refused'
        | 'unavailable'
        | 'discord-refused'
        | 'discord-unavailable'
        | 'not-configured';
    }
) & {
  /**
   * The Discord locale of the person the ending's attempt belongs to, for its page; absent when
   * the page is not theirs to read (no attempt, or someone else's browser): the browser's
   * language decides then.
   */
  locale?: string | undefined;
};

export type FlowResult = { kind: 'redirect'; url: string; cookie?: string } | FlowEnding;

export interface CallbackParams {
  code: string | null;
  state: string | null;
  error: string | null;
}

export class LinkingOffError extends UserError {
  constructor() {
    super((t) => t('accounts:linking-off'));
  }
}

/** What the /link reply says when the attempt ends some other way than linked. */
export const REPLIES: Partial<Record<FlowEnding['kind'], Wording>> = {
  denied: (t) => t('accounts:link.denied'),
  'wrong-user': (t) => t('accounts:link.wrong-user'),
  'x-taken': (t) => t('accounts:link.x-taken'),
};

/** A failure of Discord or X while finishing a step, in the flow's terms (logged here). */
export function failureOf(error: unknown, log: Logger): FlowEnding {
  if (error instanceof DiscordOAuthError) {
    if (error.kind === 'invalid-grant') {
      log.info('Discord refused a sign-in code', { error });
      return { kind: 'discord-refused' };
    }
    // A refused client secret is the operator's to fix: say so in the log, loudly.
    log[error.kind === 'invalid-client' ? 'error' : 'warn']('signing in with Discord failed', { error });
    return { kind: 'discord-unavailable' };
  }
  if (error instanceof XUnauthorizedError || (error instanceof XError && error.kind === 'invalid-request')) {
    log.info('X refused a sign-in code', { error });
    return { kind: 'refused' };
  }
  log.warn('linking failed', { error });
  return { kind: 'unavailable' };
}
