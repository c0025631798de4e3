/**
 * Linked Roles: a server can give a role to members whose linked X account meets a condition
 * (linked at all, at least N followers, verified, at least N days old). Flock declares those
 * conditions once (the metadata), writes each linked user's values with the Discord token from
 * their sign-in, refreshes them at most once a UTC day, and clears them on /unlink.
 *
 * `publish` and `clear` change the user's link record, so callers hold the user's lock.
 */
import { createHash } from 'node:crypto';
import { type APIApplicationRoleConnectionMetadata, ApplicationRoleConnectionMetadataType } from 'discord.js';
import { type Clock, utcDay } from '../clock.js';
import {
  type DiscordOAuth,
  DiscordOAuthError,
  type DiscordTokens,
  type RoleConnection,
} from '../discord/oauth.js';
import { xPlain } from '../discord/x-text.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import type { UserField, XUser } from '../x/index.js';
import type { Link, LinkStore } from './links.js';

export const ROLE_METADATA = [
  {
    type: ApplicationRoleConnectionMetadataType.BooleanEqual,
    key: 'x_linked',
    name: 'Linked X account',
    description: 'Has linked an X account through Flock',
  },
  {
    type: ApplicationRoleConnectionMetadataType.IntegerGreaterThanOrEqual,
    key: 'x_followers',
    name: 'X followers',
    description: 'Followers on X, at least',
  },
  {
    type: ApplicationRoleConnectionMetadataType.BooleanEqual,
    key: 'x_verified',
    name: 'Verified on X',
    description: 'Has a verified X account',
  },
  {
    type: ApplicationRoleConnectionMetadataType.DatetimeGreaterThanOrEqual,
    key: 'x_created',
    name: 'Days on X',
    description: 'Days since the X account was created, at least',
  },
] as const satisfies APIApplicationRoleConnectionMetadata[];

/** What the values are made of; asked for whenever Flock reads a linked user's own account. */
export const ROLE_USER_FIELDS = ['public_metrics', 'verified', 'created_at'] as const satisfies UserField[];

/** Refresh a Discord token this long before it expires. */
const REFRESH_MARGIN_MS = 60 * 60_000;

export function connectionFor(user: XUser): RoleConnection {
  return {
    platform_name: 'X',
    platform_username: xPlain(user.username, 100),
    metadata: {
      x_linked: '1',
      x_followers: String(user.public_metrics?.followers_count ?? 0),
      x_verified: user.verified ? '1' : '0',
      ...(user.created_at ? { x_created: user.created_at } : {}),
    },
  };
}

export class RoleConnections {
  constructor(
    private readonly oauth: DiscordOAuth,
    private readonly links: LinkStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Declares the metadata to Discord when it changed since the last start (a hash in the store). */
  async register(store: Store): Promise<void> {
    const hashes = store.namespace<string>('command-hashes');
    const hash = createHash('sha256').update(JSON.stringify(ROLE_METADATA)).digest('hex');
    if ((await hashes.get('role-connection-metadata')) === hash) return;
    await this.oauth.registerMetadata(ROLE_METADATA);
    await hashes.set('role-connection-metadata', hash);
    this.log.info('Linked Roles metadata registered', { keys: ROLE_METADATA.map((m) => m.key) });
  }

  /**
   * Writes the user's values from `user` (their X account as just read). Returns the link as now
   * stored: without its Discord grant when Discord no longer honours it.
   */
  async publish(link: Link, user: XUser): Promise<Link> {
    if (!link.discord) return link;
    const day = utcDay(this.clock.now());
    const written = await this.#withToken(link, (token) =>
      this.oauth.putRoleConnection(token, connectionFor(user)),
    );
    const next = written.link.discord && written.ok ? { ...written.link, rolesDay: day } : written.link;
    if (next !== link) await this.links.save(next);
    return next;
  }

  /** Clears the user's values and revokes the Discord grant (on unlink, or a link X dropped). */
  async clear(link: Link): Promise<void> {
    if (!link.discord) return;
    const { link: current } = await this.#withToken(link, (token) => this.oauth.clearRoleConnection(token));
    if (current.discord) await this.revokeGrant(current.discord);
  }

  /** Revokes a Discord grant Flock will not keep (a replaced one, or one from a refused sign-in). */
  async revokeGrant(grant: DiscordTokens): Promise<void> {
    await Promise.allSettled([
      this.oauth.revoke(grant.accessToken, 'access_token'),
      ...(grant.refreshToken ? [this.oauth.revoke(grant.refreshToken, 'refresh_token')] : []),
    ]);
  }

  /**
   * Runs `call` with a live Discord access token, refreshing it first when it is about to expire
   * or was refused. A grant Discord refuses is dropped from the link (the user can sign in again
   * from the server's Linked Roles menu).
   */
  async #withToken(link: Link, call: (token: string) => Promise<void>): Promise<{ link: Link; ok: boolean }> {
    let current = link;
    const log = this.log.child({ discordUserId: link.discordUserId });
    try {
      if (current.discord && current.discord.expiresAt - this.clock.now() < REFRESH_MARGIN_MS)
        current = await this.#refresh(current);
      if (!current.discord) return { link: current, ok: false };
      try {
        await call(current.discord.accessToken);
      } catch (error) {
        if (!(error instanceof DiscordOAuthError && error.kind === 'unauthorized')) throw error;
        current = await this.#refresh(current);
        if (!current.discord) return { link: current, ok: false };
        await call(current.discord.accessToken);
      }
      return { link: current, ok: true };
    } catch (error) {
      if (
        error instanceof DiscordOAuthError &&
        (error.kind === 'invalid-grant' || error.kind === 'unauthorized')
      ) {
        log.info('Discord no longer honours the sign-in kept for Linked Roles; dropped it');
        return { link: { ...current, discord: undefined, rolesDay: undefined }, ok: false };
      }
      log.warn('could not update Linked Roles values', { error });
      return { link: current, ok: false };
    }
  }

  /** Discord rotates refresh tokens: the new pair is stored before it is used. */
  async #refresh(link: Link): Promise<Link> {
    const refreshToken = link.discord?.refreshToken;
    if (!refreshToken) return { ...link, discord: undefined };
    const tokens = await this.oauth.refresh(refreshToken);
    const next: Link = { ...link, discord: { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken } };
    await this.links.save(next);
    return next;
  }
}
