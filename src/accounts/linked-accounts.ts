/**
 * A Discord user's X link in use: a token that is fresh when a call needs it. Refresh happens
 * shortly before expiry and after a 401. Everything that changes a user's link (a refresh, an
 * unlink, a link finishing) runs under one lock per user, so they never interleave: X's refresh
 * tokens work once, an unlink must revoke the tokens a refresh just stored, and a relink must not
 * be undone by a refresh of the old grant failing. The rotated pair is stored before it is used.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { UserError } from '../user-error.js';
import { type OAuthClient, type UserAuth, XUnauthorizedError } from '../x/index.js';
import type { Link, LinkStore } from './links.js';
import type { UserLocks } from './user-locks.js';

/** Refresh this long before X says the access token expires, so a call never carries a dying token. */
const REFRESH_MARGIN_MS = 60_000;

export class NotLinkedError extends UserError {
  constructor() {
    super((t) => t('accounts:not-linked'));
  }
}

export class LinkLostError extends UserError {
  constructor() {
    super((t) => t('accounts:link-lost'));
  }
}

/** Why a link X no longer honours was removed, for the log. */
type ForgetReason = 'refused-after-refresh' | 'no-refresh-token' | 'refresh-refused';

/**
 * What else must happen when a link goes away (Linked Roles values cleared, the Discord sign-in
 * revoked); resolves to whether Discord confirmed it.
 */
export type OnUnlinked = (link: Link) => Promise<boolean>;

export interface Unlinked {
  link: Link;
  /** X confirmed the revocation. */
  revoked: boolean;
  /** Discord confirmed the Linked Roles values are gone (Flock keeps trying when not). */
  cleared: boolean;
}

export class LinkedAccounts {
  constructor(
    readonly links: LinkStore,
    private readonly oauth: OAuthClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly locks: UserLocks,
    /** Runs under the user's lock. */
    private readonly onUnlinked: OnUnlinked = async () => true,
    /**
     * What Flock read with a link of this X account goes (insights' sealed reads): when the link
     * goes, or a relink moves the Discord user to another X account.
     */
    private readonly onAccountGone: (xUserId: string) => Promise<void> = async () => undefined,
  ) {}

  /** A relink moved its Discord user off `xUserId`: what was read with the old link goes. */
  async accountGone(xUserId: string): Promise<void> {
    await this.onAccountGone(xUserId).catch((error: unknown) =>
      this.log.warn('could not delete what was read with a link that went', { xUserId, error }),
    );
  }

  get(discordUserId: string): Promise<Link | undefined> {
    return this.links.get(discordUserId);
  }

  /** Runs `call` with the user's token, refreshing it first or after a 401 as needed. */
  async withAuth<T>(discordUserId: string, call: (auth: UserAuth, link: Link) => Promise<T>): Promise<T> {
    let link = await this.links.get(discordUserId);
    if (!link) throw new NotLinkedError();
    if (link.tokens.expiresAt - this.clock.now() < REFRESH_MARGIN_MS) link = await this.refresh(link);
    try {
      return await call(authOf(link), link);
    } catch (error) {
      if (!(error instanceof XUnauthorizedError)) throw error;
    }
    // X refused a token it had not expired: it may have been rotated elsewhere or revoked.
    link = await this.refresh(link);
    try {
      return await call(authOf(link), link);
    } catch (error) {
      if (error instanceof XUnauthorizedError) {
        await this.#forget(link, 'refused-after-refresh');
        throw new LinkLostError();
      }
      throw error;
    }
  }

  /**
   * A fresh token for a link whose token is stale. One refresh per user at a time: callers that
   * queue behind a refresh find its result stored and use it.
   */
  refresh(stale: Link): Promise<Link> {
    return this.locks.run(stale.discordUserId, async () => {
      const current = await this.links.get(stale.discordUserId);
      if (!current) throw new NotLinkedError();
      if (
        current.tokens.accessToken !== stale.tokens.accessToken &&
        current.tokens.expiresAt - this.clock.now() >= REFRESH_MARGIN_MS
      ) {
        return current;
      }
      const refreshToken = current.tokens.refreshToken;
      if (!refreshToken) {
        await this.#forget(current, 'no-refresh-token');
        throw new LinkLostError();
      }
      let tokens: Awaited<ReturnType<OAuthClient['refresh']>>;
      try {
        tokens = await this.oauth.refresh(refreshToken);
      } catch (error) {
        if (error instanceof XUnauthorizedError) {
          await this.#forget(current, 'refresh-refused');
          throw new LinkLostError();
        }
        throw error;
      }
      const next: Link = {
        ...current,
        tokens: {
          ...tokens,
          refreshToken: tokens.refreshToken ?? refreshToken,
          // A refresh keeps the grant's scopes: an answer that names none must not lose them.
          scopes: tokens.scopes.length ? tokens.scopes : current.tokens.scopes,
        },
      };
      // The old refresh token is spent: the new pair must be stored before anything uses it.
      await this.links.save(next);
      this.log.debug('refreshed an X token', { discordUserId: current.discordUserId });
      return next;
    });
  }

  /**
   * Revokes both tokens at X, clears what the link left at Discord, then deletes everything
   * stored for the user. Says whether X confirmed the revocation and Discord the clearing (false
   * when they could not be reached), or undefined when not linked.
   */
  unlink(discordUserId: string): Promise<Unlinked | undefined> {
    return this.locks.run(discordUserId, async () => {
      const link = await this.links.get(discordUserId);
      if (!link) return undefined;
      const [revoked, cleared] = await Promise.all([this.revoke(link), this.#unlinked(link)]);
      await this.links.delete(discordUserId);
      return { link, revoked, cleared };
    });
  }

  async revoke(link: Link): Promise<boolean> {
    const results = await Promise.allSettled([
      this.oauth.revoke(link.tokens.accessToken, 'access_token'),
      ...(link.tokens.refreshToken ? [this.oauth.revoke(link.tokens.refreshToken, 'refresh_token')] : []),
    ]);
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length)
      this.log.warn('X did not confirm a token revocation', {
        discordUserId: link.discordUserId,
        error: failed[0]?.reason,
      });
    return failed.length === 0;
  }

  /** Deletes a link X no longer honours, unless it was replaced meanwhile (a relink). */
  async #forget(refused: Link, reason: ForgetReason): Promise<void> {
    const stored = await this.links.get(refused.discordUserId);
    if (!stored || stored.tokens.refreshToken !== refused.tokens.refreshToken) return;
    await this.#unlinked(stored);
    await this.links.delete(refused.discordUserId);
    this.log.info('link removed', { discordUserId: refused.discordUserId, reason });
  }

  async #unlinked(link: Link): Promise<boolean> {
    await this.accountGone(link.xUserId);
    return this.onUnlinked(link).catch((error: unknown) => {
      this.log.warn('could not clear what a removed link left at Discord', {
        discordUserId: link.discordUserId,
        error,
      });
      return false;
    });
  }
}

export function authOf(link: Link): UserAuth {
  return { key: link.xUserId, accessToken: link.tokens.accessToken };
}
