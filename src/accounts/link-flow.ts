/**
 * Linking an X account, end to end: /link begins an attempt and hands out a start URL; the
 * start URL sends the browser to X's consent page; X's redirect to the callback finishes it:
 * the state is used up, the code exchanged with the verifier, the account identified, the
 * tokens sealed and stored, and the /link reply edited to say who is linked.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { createPkce, type OAuthClient, type XClient, XError, XUnauthorizedError } from '../x/index.js';
import type { LinkAttempts } from './link-attempts.js';
import type { LinkedAccounts } from './linked-accounts.js';

export type StartResult = { kind: 'redirect'; url: string } | { kind: 'unknown' } | { kind: 'expired' };

export type FinishResult =
  | { kind: 'linked'; username: string }
  | { kind: 'denied' }
  | { kind: 'missing' }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'refused' }
  | { kind: 'unavailable' };

export interface CallbackParams {
  code: string | null;
  state: string | null;
  error: string | null;
}

/** Edits the ephemeral /link reply (the interaction token is good for 15 minutes). */
export type EditLinkReply = (
  applicationId: string,
  interactionToken: string,
  content: string,
) => Promise<void>;

export class LinkFlow {
  constructor(
    private readonly attempts: LinkAttempts,
    private readonly accounts: LinkedAccounts,
    private readonly oauth: OAuthClient,
    private readonly x: XClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly editReply: EditLinkReply,
    private readonly publicUrl: string,
  ) {}

  /** Starts an attempt for a Discord user; returns the URL their link button opens. */
  async begin(discordUserId: string, interactionToken: string, applicationId: string): Promise<string> {
    const { verifier } = createPkce();
    const { startId } = await this.attempts.create({
      discordUserId,
      verifier,
      interactionToken,
      applicationId,
    });
    return `${this.publicUrl}/oauth/start/${startId}`;
  }

  async start(startId: string): Promise<StartResult> {
    const found = await this.attempts.peek(startId);
    if (found.kind !== 'ok') return found;
    const challenge = createHash('sha256').update(found.attempt.verifier).digest('base64url');
    return { kind: 'redirect', url: this.oauth.authorizeUrl(found.attempt.state, challenge) };
  }

  async finish(params: CallbackParams): Promise<FinishResult> {
    if (!params.state || (!params.code && !params.error)) return { kind: 'missing' };
    const taken = await this.attempts.take(params.state);
    if (taken.kind !== 'ok') return taken;
    const { attempt } = taken;
    const log = this.log.child({ discordUserId: attempt.discordUserId });
    const tell = (content: string) =>
      this.editReply(attempt.applicationId, attempt.interactionToken, content).catch((error: unknown) =>
        log.warn('could not edit the /link reply', { error }),
      );

    if (params.error || !params.code) {
      log.info('linking denied at X', { reason: params.error });
      await tell('Linking was cancelled on X, so nothing changed. Run `/link` to try again.');
      return { kind: 'denied' };
    }
    try {
      const tokens = await this.oauth.exchangeCode(params.code, attempt.verifier);
      const me = await this.x.me({
        key: `linking:${attempt.discordUserId}`,
        accessToken: tokens.accessToken,
      });
      const previous = await this.accounts.get(attempt.discordUserId);
      await this.accounts.links.save({
        discordUserId: attempt.discordUserId,
        xUserId: me.id,
        username: me.username,
        name: me.name,
        linkedAt: this.clock.now(),
        tokens,
      });
      // A relink replaces the old grant: revoke it rather than leave it alive at X.
      if (previous && previous.tokens.accessToken !== tokens.accessToken) void this.accounts.revoke(previous);
      log.info('X account linked', { xUserId: me.id });
      await tell(`Linked as **@${me.username}**. You can now use \`/follow\` and \`/unfollow\`.`);
      return { kind: 'linked', username: me.username };
    } catch (error) {
      if (
        error instanceof XUnauthorizedError ||
        (error instanceof XError && error.kind === 'invalid-request')
      ) {
        log.info('X refused the authorization code', { error });
        return { kind: 'refused' };
      }
      log.warn('linking failed', { error });
      return { kind: 'unavailable' };
    }
  }
}
