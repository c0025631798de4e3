/**
 * A Discord user's X link in use: a token that is fresh when a call needs it. Refresh happens
 * shortly before expiry and after a 401, once per user however many calls are waiting (X's
 * refresh tokens work once: two refreshes racing would leave one caller with a dead token).
 * The rotated pair is stored before it is used. A refused refresh removes the link.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { UserError } from '../user-error.js';
import { type OAuthClient, type UserAuth, XUnauthorizedError } from '../x/index.js';
import type { Link, LinkStore } from './links.js';

/** Refresh this long before X says the access token expires, so a call never carries a dying token. */
const REFRESH_MARGIN_MS = 60_000;

export class NotLinkedError extends UserError {
  constructor() {
    super('First link your X account with `/link`.');
  }
}

export class LinkLostError extends UserError {
  constructor() {
    super(
      'Your X link stopped working (it was revoked on X or has expired), so I removed it. Run `/link` to connect your X account again.',
    );
  }
}

export class LinkedAccounts {
  readonly #refreshing = new Map<string, Promise<Link>>();

  constructor(
    readonly links: LinkStore,
    private readonly oauth: OAuthClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

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
        await this.links.delete(discordUserId);
        throw new LinkLostError();
      }
      throw error;
    }
  }

  /** One refresh per user at a time; callers that arrive meanwhile share its result. */
  refresh(stale: Link): Promise<Link> {
    const id = stale.discordUserId;
    const running = this.#refreshing.get(id);
    if (running !== undefined) return running;
    const refreshing = this.#refresh(stale).finally(() => this.#refreshing.delete(id));
    this.#refreshing.set(id, refreshing);
    return refreshing;
  }

  async #refresh(stale: Link): Promise<Link> {
    const current = await this.links.get(stale.discordUserId);
    if (!current) throw new NotLinkedError();
    // Someone refreshed since this caller read the link: use theirs.
    if (
      current.tokens.accessToken !== stale.tokens.accessToken &&
      current.tokens.expiresAt - this.clock.now() >= REFRESH_MARGIN_MS
    ) {
      return current;
    }
    const refreshToken = current.tokens.refreshToken;
    if (!refreshToken) {
      await this.links.delete(current.discordUserId);
      throw new LinkLostError();
    }
    let tokens: Awaited<ReturnType<OAuthClient['refresh']>>;
    try {
      tokens = await this.oauth.refresh(refreshToken);
    } catch (error) {
      if (error instanceof XUnauthorizedError) {
        await this.links.delete(current.discordUserId);
        this.log.info('X refused a refresh; link removed', { discordUserId: current.discordUserId });
        throw new LinkLostError();
      }
      throw error;
    }
    const next: Link = {
      ...current,
      tokens: { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken },
    };
    // The old refresh token is spent: the new pair must be stored before anything uses it.
    await this.links.save(next);
    this.log.debug('refreshed an X token', { discordUserId: current.discordUserId });
    return next;
  }

  /**
   * Revokes both tokens at X, then deletes everything stored for the user. Returns whether X
   * confirmed the revocation (false when X could not be reached), or undefined when not linked.
   */
  async unlink(discordUserId: string): Promise<{ link: Link; revoked: boolean } | undefined> {
    const link = await this.links.get(discordUserId);
    if (!link) return undefined;
    const revoked = await this.revoke(link);
    await this.links.delete(discordUserId);
    return { link, revoked };
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
}

export function authOf(link: Link): UserAuth {
  return { key: link.xUserId, accessToken: link.tokens.accessToken };
}
