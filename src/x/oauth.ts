/**
 * OAuth 2.0 authorization code with PKCE, as X implements it: the consent URL, the code
 * exchange, refresh (X rotates refresh tokens: each works once) and revocation. Callers keep
 * the verifier on the server and store a refreshed token pair before using it.
 */
import { createHash, randomBytes } from 'node:crypto';
import ky, { HTTPError, TimeoutError } from 'ky';
import { type Clock, systemClock } from '../clock.js';
import {
  type XError,
  XForbiddenError,
  XInvalidRequestError,
  XUnauthorizedError,
  XUnavailableError,
} from './errors.js';

export const LINK_SCOPES = [
  'tweet.read',
  'users.read',
  'follows.read',
  'follows.write',
  'offline.access',
] as const;

/**
 * What reading the token user's own blocks and mutes, and muting, needs besides the link scopes.
 * Links ask for them too (accounts/scopes.ts); a token granted without them, such as one linked
 * before Flock asked, gets 403 from those endpoints (XForbiddenError).
 */
export const BLOCKS_MUTES_SCOPES = ['block.read', 'mute.read', 'mute.write'] as const;

export interface OAuthClientOptions {
  apiUrl: string;
  authorizeUrl: string;
  clientId: string;
  /** Present for a confidential client: sent as HTTP Basic. */
  clientSecret?: string | undefined;
  redirectUri: string;
  clock?: Clock;
  timeoutMs?: number;
}

export interface TokenSet {
  accessToken: string;
  /** Absent unless offline.access was granted. */
  refreshToken: string | undefined;
  /** ms since epoch. */
  expiresAt: number;
  scopes: string[];
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** A verifier of 43 URL-safe characters (32 random bytes) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

interface TokenBody {
  token_type?: string;
  expires_in?: number;
  access_token?: string;
  refresh_token?: string;
  scope?: string;
}

export type OAuthClient = ReturnType<typeof createOAuthClient>;

export function createOAuthClient(options: OAuthClientOptions) {
  const clock = options.clock ?? systemClock;
  const basic = options.clientSecret
    ? `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`
    : undefined;
  const api = ky.create({
    prefixUrl: options.apiUrl,
    timeout: options.timeoutMs ?? 10_000,
    headers: basic ? { authorization: basic } : {},
    // A token request is not idempotent: a retried refresh could spend the rotated token twice.
    retry: 0,
  });

  async function post(route: string, form: Record<string, string>): Promise<unknown> {
    const endpoint = `POST /${route}`;
    try {
      const response = await api.post(route, {
        body: new URLSearchParams({ ...form, client_id: options.clientId }),
      });
      return await response.json();
    } catch (error) {
      throw await translate(error, endpoint);
    }
  }

  function toTokenSet(body: TokenBody): TokenSet {
    if (!body.access_token)
      throw new XUnavailableError('the token answer had no access token', 'POST /2/oauth2/token');
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: clock.now() + (body.expires_in ?? 7200) * 1000,
      scopes: body.scope ? body.scope.split(' ') : [],
    };
  }

  return {
    /** The consent page URL for a state and a PKCE challenge, asking for `scopes`. */
    authorizeUrl(state: string, challenge: string, scopes: readonly string[] = LINK_SCOPES): string {
      const url = new URL(options.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        scope: scopes.join(' '),
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },

    async exchangeCode(code: string, verifier: string): Promise<TokenSet> {
      const body = await post('2/oauth2/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: options.redirectUri,
        code_verifier: verifier,
      });
      return toTokenSet(body as TokenBody);
    },

    /** Spends `refreshToken`; the answer carries its replacement, which must be stored first. */
    async refresh(refreshToken: string): Promise<TokenSet> {
      const body = await post('2/oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
      return toTokenSet(body as TokenBody);
    },

    async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
      await post('2/oauth2/revoke', { token, token_type_hint: hint });
    },
  };
}

async function translate(error: unknown, endpoint: string): Promise<XError> {
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const body = (await error.response.json().catch(() => ({}))) as {
      error?: string;
      error_description?: string;
    };
    if (status >= 500) return new XUnavailableError(`X answered ${status}`, endpoint, status);
    if (body.error === 'unauthorized_client' || status === 401) {
      // The client id or secret is wrong: the operator's problem, not the user's.
      return new XForbiddenError(
        body.error_description ?? 'client authentication failed',
        endpoint,
        status,
        'unauthorized_client',
      );
    }
    if (body.error === 'invalid_request' || body.error === 'invalid_grant') {
      return new XUnauthorizedError(body.error_description ?? 'the grant was refused', endpoint, status);
    }
    return new XInvalidRequestError(body.error_description ?? `HTTP ${status}`, endpoint, status);
  }
  if (error instanceof TimeoutError)
    return new XUnavailableError('X did not answer in time', endpoint, undefined, { cause: error });
  return new XUnavailableError('X could not be reached', endpoint, undefined, { cause: error });
}
