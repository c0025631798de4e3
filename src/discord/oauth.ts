/**
 * "Sign in with Discord" and Linked Roles, over discord.js's own REST client (so Discord's rate
 * limits and retries apply as for every other Discord call). Discord's answers become a small
 * set of typed errors at this edge; user tokens never reach an error message or a log line.
 */
import {
  type APIApplicationRoleConnectionMetadata,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  REST,
  Routes,
} from 'discord.js';
import type { Clock } from '../clock.js';

/** What Flock asks of a Discord user: who they are, and the right to set their Linked Roles values. */
export const DISCORD_SCOPES = ['identify', 'role_connections.write'] as const;

export interface DiscordTokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** ms since epoch. */
  expiresAt: number;
  scopes: string[];
}

export interface DiscordIdentity {
  id: string;
  username: string;
}

export interface RoleConnection {
  platform_name: string;
  platform_username: string;
  metadata: Record<string, string>;
}

export type DiscordOAuthErrorKind =
  /** The code or refresh token was refused (spent, expired, revoked): the user must sign in again. */
  | 'invalid-grant'
  /** The user's access token was refused. */
  | 'unauthorized'
  /** Flock's own client credentials were refused: the operator's problem. */
  | 'invalid-client'
  /** Discord did not answer, or answered with a server error. */
  | 'unavailable'
  /** Anything else Discord refused (a request Flock should not have made). */
  | 'refused';

export class DiscordOAuthError extends Error {
  override readonly name = 'DiscordOAuthError';
  constructor(
    readonly kind: DiscordOAuthErrorKind,
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(`Discord OAuth2: ${kind}${status ? ` (HTTP ${status})` : ''}`, options);
  }
}

export interface DiscordOAuthOptions {
  /** Discord's REST base (`DISCORD_API_URL`); undefined means Discord's own. */
  apiUrl: string | undefined;
  /** For the one bot-authenticated call, registering the Linked Roles metadata. */
  botToken: string;
  applicationId: string;
  clientSecret: string;
  authorizeUrl: string;
  redirectUri: string;
  clock: Clock;
}

export type DiscordOAuth = ReturnType<typeof createDiscordOAuth>;

/** More sign-ins finishing at the same moment than this is a flood, not people. */
const MAX_EXCHANGES_IN_FLIGHT = 16;

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
}

export function createDiscordOAuth(options: DiscordOAuthOptions) {
  const { applicationId, clock } = options;
  // Its own REST client, without retries: a token request is not idempotent (a retried refresh
  // would spend Discord's rotated refresh token twice), and a person waits on the other end.
  // And Discord's 429 is an answer, not something to queue behind: a person is waiting, and a
  // flood of requests must not pile up in memory waiting for the limit to pass.
  const rest = new REST({
    retries: 0,
    timeout: 10_000,
    rejectOnRateLimit: () => true,
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
  }).setToken(options.botToken);
  // Code exchanges in flight at once: anyone on the web can ask for one, so they are capped.
  let exchanging = 0;
  const basic = `Basic ${Buffer.from(`${applicationId}:${options.clientSecret}`).toString('base64')}`;
  const bearer = (accessToken: string) => ({
    auth: false,
    headers: { Authorization: `Bearer ${accessToken}` },
  });

  const tokenRequest = async (form: Record<string, string>): Promise<DiscordTokens> => {
    const body = (await translate(() =>
      rest.post(Routes.oauth2TokenExchange(), {
        auth: false,
        passThroughBody: true,
        body: new URLSearchParams(form),
        headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    )) as TokenResponse;
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: clock.now() + body.expires_in * 1000,
      scopes: body.scope.split(' ').filter(Boolean),
    };
  };

  return {
    /** Discord's consent page for this state. `prompt=none` skips it for a user who already approved. */
    authorizeUrl(state: string): string {
      const url = new URL(options.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: applicationId,
        scope: DISCORD_SCOPES.join(' '),
        state,
        redirect_uri: options.redirectUri,
        prompt: 'none',
      }).toString();
      return url.toString();
    },

    async exchangeCode(code: string): Promise<DiscordTokens> {
      if (exchanging >= MAX_EXCHANGES_IN_FLIGHT) throw new DiscordOAuthError('unavailable', undefined);
      exchanging += 1;
      try {
        return await tokenRequest({
          grant_type: 'authorization_code',
          code,
          redirect_uri: options.redirectUri,
        });
      } finally {
        exchanging -= 1;
      }
    },

    /** Discord rotates refresh tokens: store the returned pair before using it. */
    refresh: (refreshToken: string) =>
      tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }),

    async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
      await translate(() =>
        rest.post(Routes.oauth2TokenRevocation(), {
          auth: false,
          passThroughBody: true,
          body: new URLSearchParams({ token, token_type_hint: hint }),
          headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      );
    },

    async me(accessToken: string): Promise<DiscordIdentity> {
      const user = (await translate(() => rest.get(Routes.user(), bearer(accessToken)))) as DiscordIdentity;
      return { id: user.id, username: user.username };
    },

    async putRoleConnection(accessToken: string, connection: RoleConnection): Promise<void> {
      await translate(() =>
        rest.put(Routes.userApplicationRoleConnection(applicationId), {
          ...bearer(accessToken),
          body: connection,
        }),
      );
    },

    /**
     * Clears the user's Linked Roles values. Flock's reference says DELETE clears them; Discord's
     * public docs list only GET and PUT for this route. Try DELETE, and where it is not there,
     * PUT an empty connection, which meets no role's requirements.
     */
    async clearRoleConnection(accessToken: string): Promise<void> {
      try {
        await translate(() =>
          rest.delete(Routes.userApplicationRoleConnection(applicationId), bearer(accessToken)),
        );
      } catch (error) {
        if (!(error instanceof DiscordOAuthError && error.kind === 'refused')) throw error;
        await translate(() =>
          rest.put(Routes.userApplicationRoleConnection(applicationId), {
            ...bearer(accessToken),
            body: { platform_name: null, platform_username: null, metadata: {} },
          }),
        );
      }
    },

    /** What a server can ask of its members' Linked Roles values; needs only the bot token. */
    async registerMetadata(records: readonly APIApplicationRoleConnectionMetadata[]): Promise<void> {
      await translate(() =>
        rest.put(Routes.applicationRoleConnectionMetadata(applicationId), { body: records }),
      );
    },
  };
}

/** Discord's answer as one of Flock's error kinds; nothing of the request (tokens, codes) is kept. */
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      const raw = error.rawError as { error?: string };
      if (raw.error === 'invalid_grant') throw new DiscordOAuthError('invalid-grant', error.status);
      if (raw.error === 'invalid_client') throw new DiscordOAuthError('invalid-client', error.status);
      if (error.status === 401) throw new DiscordOAuthError('unauthorized', error.status);
      if (error.status >= 500) throw new DiscordOAuthError('unavailable', error.status);
      throw new DiscordOAuthError('refused', error.status);
    }
    if (error instanceof RateLimitError) throw new DiscordOAuthError('unavailable', 429);
    if (error instanceof HTTPError) {
      throw new DiscordOAuthError(error.status >= 500 ? 'unavailable' : 'refused', error.status);
    }
    // Network failures and timeouts: Discord could not be reached. The cause goes to the log.
    throw new DiscordOAuthError('unavailable', undefined, { cause: error });
  }
}
