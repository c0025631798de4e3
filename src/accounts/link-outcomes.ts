/**
 * How a step of the link flow ends, as the web layer maps it to a page, and what the /link reply
 * says for the endings the person who ran it should hear about.
 */
import { DiscordOAuthError } from '../discord/oauth.js';
import type { Logger } from '../log.js';
import { UserError } from '../user-error.js';
import { XError, XUnauthorizedError } from '../x/index.js';

export type FlowResult =
  | { kind: 'redirect'; url: string; cookie?: string }
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
    };

export type FlowEnding = Exclude<FlowResult, { kind: 'redirect' }>;

export interface CallbackParams {
  code: string | null;
  state: string | null;
  error: string | null;
}

export class LinkingOffError extends UserError {
  constructor() {
    super(
      "Linking isn't set up on this bot yet: its operator needs to add the Discord application's client secret (DISCORD_CLIENT_SECRET) and serve Flock's pages over https.",
    );
  }
}

/** What the /link reply says when the attempt ends some other way than linked. */
export const REPLIES: Partial<Record<FlowEnding['kind'], string>> = {
  denied: 'Linking was cancelled, so nothing changed. Run `/link` to try again.',
  'wrong-user':
    'Someone else opened your link button and signed in with another Discord account, so I cancelled it and nothing was linked. Run `/link` again and keep the button to yourself.',
  'x-taken':
    'That X account is already linked to another Discord account, so nothing changed. Unlink it there first (`/unlink`), then run `/link` again.',
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
