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
import { ENGLISH, localizations } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import type { UserField, XUser } from '../x/index.js';
import type { Link, LinkStore } from './links.js';

/**
 * The conditions a server's admin picks from, in Discord's role settings: named and described in
 * the admin's client language (`*_localizations`), English for every other language.
 */
export const ROLE_METADATA = [
  {
    type: ApplicationRoleConnectionMetadataType.BooleanEqual,
    key: 'x_linked',
    ...wordsFor('x-linked'),
  },
  {
    type: ApplicationRoleConnectionMetadataType.IntegerGreaterThanOrEqual,
    key: 'x_followers',
    ...wordsFor('x-followers'),
  },
  {
    type: ApplicationRoleConnectionMetadataType.BooleanEqual,
    key: 'x_verified',
    ...wordsFor('x-verified'),
  },
  {
    type: ApplicationRoleConnectionMetadataType.DatetimeGreaterThanOrEqual,
    key: 'x_created',
    ...wordsFor('x-created'),
  },
] as const satisfies APIApplicationRoleConnectionMetadata[];

function wordsFor(record: 'x-linked' | 'x-followers' | 'x-verified' | 'x-created') {
  const name = `accounts:roles.${record}.name` as const;
  const description = `accounts:roles.${record}.description` as const;
  return {
    name: ENGLISH(name),
    name_localizations: localizations(name),
    description: ENGLISH(description),
    description_localizations: localizations(description),
  };
}

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
   * Writes the user's values (see `connectionFor`). Returns the link as now stored: without its
   * Discord sign-in when Discord no longer honours it.
   */
  async publish(link: Link, values: RoleConnection): Promise<Link> {
    if (!link.discord) return link;
    let current = link;
    const result = await this.#withToken(
      link.discordUserId,
      link.discord,
      (token) => this.oauth.putRoleConnection(token, values),
      // Discord rotates refresh tokens: the new pair is stored before it is used.
      async (tokens) => {
        current = { ...current, discord: tokens };
        await this.links.save(current);
      },
    );
    if (result === 'written')
      current = { ...current, rolesDay: utcDay(this.clock.now()), rolesValues: values };
    if (result === 'dropped')
      current = { ...current, discord: undefined, rolesDay: undefined, rolesValues: undefined };
    if (current !== link) await this.links.save(current);
    return current;
  }

  /**
   * Clears the user's values and revokes the Discord sign-in (on unlink, or a link X dropped).
   * Returns whether that is done; when Discord could not be reached, the sign-in is kept (sealed)
   * and `retryClears` tries again, so no role outlives the link for long.
   */
  async clear(discordUserId: string, grant: DiscordTokens | undefined): Promise<boolean> {
    if (!grant) return true;
    let current = grant;
    const result = await this.#withToken(
      discordUserId,
      grant,
      (token) => this.oauth.clearRoleConnection(token),
      async (tokens) => {
        current = tokens;
      },
    );
    if (result === 'failed') {
      await this.links.keepForClearing(discordUserId, current);
      return false;
    }
    // Dropped: Discord ended the sign-in itself, and its values with it.
    if (result === 'written') await this.revokeGrant(current);
    await this.links.cleared(discordUserId);
    return true;
  }

  /** Clears again what Discord did not confirm clearing before; returns how many are now done. */
  async retryClears(): Promise<number> {
    let done = 0;
    for (const { discordUserId, tokens } of await this.links.toClear())
      if (await this.clear(discordUserId, tokens)) done += 1;
    return done;
  }

  /** Revokes a Discord sign-in Flock will not keep. */
  async revokeGrant(grant: DiscordTokens): Promise<void> {
    await Promise.allSettled([
      this.oauth.revoke(grant.accessToken, 'access_token'),
      ...(grant.refreshToken ? [this.oauth.revoke(grant.refreshToken, 'refresh_token')] : []),
    ]);
  }

  /**
   * Runs `call` with a live access token from `grant`, refreshing it first when it is about to
   * expire or was refused: 'written' when Discord took the call, 'dropped' when Discord no longer
   * honours the sign-in (the user can sign in again from a server's Linked Roles menu), 'failed'
   * when Discord could not be reached.
   */
  async #withToken(
    discordUserId: string,
    grant: DiscordTokens,
    call: (token: string) => Promise<void>,
    onRefreshed: (tokens: DiscordTokens) => Promise<void>,
  ): Promise<'written' | 'dropped' | 'failed'> {
    let current = grant;
    const refresh = async () => {
      if (!current.refreshToken) throw new DiscordOAuthError('invalid-grant', undefined);
      const tokens = await this.oauth.refresh(current.refreshToken);
      current = { ...tokens, refreshToken: tokens.refreshToken ?? current.refreshToken };
      await onRefreshed(current);
    };
    try {
      if (current.expiresAt - this.clock.now() < REFRESH_MARGIN_MS) await refresh();
      try {
        await call(current.accessToken);
      } catch (error) {
        if (!(error instanceof DiscordOAuthError && error.kind === 'unauthorized')) throw error;
        await refresh();
        await call(current.accessToken);
      }
      return 'written';
    } catch (error) {
      const log = this.log.child({ discordUserId });
      if (
        error instanceof DiscordOAuthError &&
        (error.kind === 'invalid-grant' || error.kind === 'unauthorized')
      ) {
        log.info('Discord no longer honours the sign-in kept for Linked Roles; dropped it');
        return 'dropped';
      }
      log.warn('could not reach Discord for Linked Roles values', { error });
      return 'failed';
    }
  }
}
