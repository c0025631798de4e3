/**
 * Discord's OAuth2 token side: codes that live 10 minutes, work once and are bound to the client
 * and the redirect_uri; the token and revocation endpoints; and Bearer access to /users/@me.
 * Discord keeps one authorization per user and app (the "Authorized Apps" entry): every token
 * issued under it dies when any of them is revoked. The browser side is in authorize.ts.
 */
import { randomInt } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { DiscordUser } from './guilds.js';

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** What the OAuth side reads from the emulator. */
export interface OAuthHost {
  readonly applicationId: string;
  readonly bot: DiscordUser;
  readonly users: Map<string, DiscordUser>;
  readonly clientSecret: string;
  readonly redirectUris: string[];
  readonly url: string;
  now(): number;
}

export interface OAuthRequest {
  method: string;
  url: URL;
  /** The form fields; empty unless the body was `application/x-www-form-urlencoded`. */
  form: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** A user's authorization of the app, with every scope approved under it so far. */
export interface Grant {
  userId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
}

/** Who a Bearer token speaks for. */
export interface Identity {
  userId: string;
  clientId: string;
  scopes: ReadonlySet<string>;
}

interface Code {
  userId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
  /** The authorization the first exchange went to; a second exchange revokes it. */
  grant?: Grant;
}

interface IssuedToken {
  grant: Grant;
  scopes: string[];
  /** Access tokens: when they stop working. Refresh tokens do not expire. */
  expiresAt: number;
  /** Refresh tokens: spent once used, since Discord rotates them. */
  spent: boolean;
}

const CODE_TTL_MS = 10 * 60_000;
export const ACCESS_TOKEN_TTL_S = 604_800;
const SECRET_FIELDS = new Set(['access_token', 'refresh_token', 'client_secret', 'code', 'token']);

const oauthError = (status: number, error: string, description?: string): Answer => ({
  status,
  body: description ? { error, error_description: description } : { error },
});
const UNAUTHORIZED: Answer = { status: 401, body: { message: '401: Unauthorized', code: 0 } };

/** Discord's tokens and codes are 30 letters and digits. */
export function randomToken(length = 30): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The paths whose request bodies may carry codes, tokens and the client secret. */
export function isOAuthPath(pathname: string): boolean {
  return /^(?:\/api(?:\/v\d+)?)?\/oauth2\//.test(pathname) || pathname === '/emulator/sign-in';
}

/** A request body as the REST log may keep it: secrets replaced, so tests can search logs for leaks. */
export function redactSecrets(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, SECRET_FIELDS.has(key) ? '[redacted]' : value]),
  );
}

export class DiscordOAuth {
  readonly #grants: Grant[] = [];
  readonly #codes = new Map<string, Code>();
  readonly #access = new Map<string, IssuedToken>();
  readonly #refresh = new Map<string, IssuedToken>();

  constructor(private readonly host: OAuthHost) {}

  /** The answer for a token-side route, or undefined when the request is not one. */
  route(req: OAuthRequest): Answer | undefined {
    const path = /^\/api(?:\/v\d+)?(\/.*)$/.exec(req.url.pathname)?.[1];
    if (path === '/oauth2/token' && req.method === 'POST') return this.#token(req);
    if (path === '/oauth2/token/revoke' && req.method === 'POST') return this.#revoke(req);
    const bearer = /^Bearer /i.test(req.headers.authorization ?? '');
    if (path === '/users/@me' && req.method === 'GET' && bearer) {
      return this.#me(this.identify(req.headers.authorization));
    }
    return undefined;
  }

  /** Who an `Authorization: Bearer …` header speaks for, while its token is live. */
  identify(authorization: string | undefined): Identity | undefined {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    const record = token ? this.#access.get(token) : undefined;
    if (!record || record.grant.revoked || record.expiresAt <= this.host.now()) return undefined;
    return { userId: record.grant.userId, clientId: record.grant.clientId, scopes: new Set(record.scopes) };
  }

  /** The user approved: a code for the redirect. */
  issueCode(userId: string, scopes: string[], redirectUri: string): string {
    const code = randomToken();
    const expiresAt = this.host.now() + CODE_TTL_MS;
    this.#codes.set(code, { userId, scopes, redirectUri, expiresAt, used: false });
    return code;
  }

  /** Whether the user's live authorization of the app already covers these scopes. */
  hasAuthorized(userId: string, scopes: string[]): boolean {
    const grant = this.#grants.find((g) => !g.revoked && g.userId === userId);
    return Boolean(grant && scopes.every((s) => grant.scopes.includes(s)));
  }

  /** Authorizations not revoked (optionally one user's), as copies. */
  liveGrants(userId?: string): Grant[] {
    return this.#grants
      .filter((g) => !g.revoked && (userId === undefined || g.userId === userId))
      .map((g) => ({ ...g, scopes: [...g.scopes] }));
  }

  /** HTTP Basic, or client_id and client_secret in the form: Discord accepts either. */
  #clientAuthenticated(req: OAuthRequest): boolean {
    let id = req.form.get('client_id');
    let secret = req.form.get('client_secret');
    const basic = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
    return id === this.host.applicationId && secret === this.host.clientSecret;
  }

  #token(req: OAuthRequest): Answer {
    if (!this.#clientAuthenticated(req)) return oauthError(401, 'invalid_client');
    const grantType = req.form.get('grant_type');
    if (grantType === 'authorization_code') return this.#exchange(req.form);
    if (grantType === 'refresh_token') {
      const record = this.#refresh.get(req.form.get('refresh_token') ?? '');
      if (!record || record.spent || record.grant.revoked) {
        return oauthError(400, 'invalid_grant', 'Invalid "refresh_token" in request.');
      }
      record.spent = true;
      return { status: 200, body: this.#issue(record.grant, record.scopes) };
    }
    // A JSON body lands here too: Discord reads only forms at this endpoint, so sees no grant_type.
    return oauthError(400, 'unsupported_grant_type', `Grant type ${grantType ?? 'None'} is not supported`);
  }

  #exchange(form: URLSearchParams): Answer {
    const code = this.#codes.get(form.get('code') ?? '');
    const invalid = oauthError(400, 'invalid_grant', 'Invalid "code" in request.');
    if (!code) return invalid;
    if (code.used) {
      // A code presented twice may have been stolen: what it bought is revoked (RFC 6749 §4.1.2).
      if (code.grant) code.grant.revoked = true;
      return invalid;
    }
    if (code.expiresAt <= this.host.now()) return invalid;
    if (form.get('redirect_uri') !== code.redirectUri) {
      return oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
    }
    code.used = true;
    let grant = this.#grants.find((g) => !g.revoked && g.userId === code.userId);
    if (!grant) {
      const clientId = this.host.applicationId;
      grant = { userId: code.userId, clientId, scopes: [], createdAt: this.host.now(), revoked: false };
      this.#grants.push(grant);
    }
    grant.scopes = [...new Set([...grant.scopes, ...code.scopes])];
    code.grant = grant;
    return { status: 200, body: this.#issue(grant, code.scopes) };
  }

  #issue(grant: Grant, scopes: string[]) {
    const accessToken = randomToken();
    const refreshToken = randomToken();
    const expiresAt = this.host.now() + ACCESS_TOKEN_TTL_S * 1000;
    this.#access.set(accessToken, { grant, scopes, expiresAt, spent: false });
    this.#refresh.set(refreshToken, { grant, scopes, expiresAt: Number.POSITIVE_INFINITY, spent: false });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
    };
  }

  #revoke(req: OAuthRequest): Answer {
    if (!this.#clientAuthenticated(req)) return oauthError(401, 'invalid_client');
    const token = req.form.get('token') ?? '';
    // Discord revokes the whole authorization, whichever of its tokens (and hint) is named; an
    // unknown token is answered the same way (RFC 7009 §2.2).
    const grant = this.#access.get(token)?.grant ?? this.#refresh.get(token)?.grant;
    if (grant) grant.revoked = true;
    return { status: 200, body: {} };
  }

  #me(identity: Identity | undefined): Answer {
    const user = identity && this.host.users.get(identity.userId);
    // Discord answers a token lacking the route's scope as it answers a bad token.
    if (!identity || !user || !identity.scopes.has('identify')) return UNAUTHORIZED;
    const email = identity.scopes.has('email')
      ? { email: `${user.username}@users.emulator.invalid`, verified: true }
      : {};
    return {
      status: 200,
      body: {
        ...user,
        public_flags: 0,
        flags: 0,
        banner: null,
        accent_color: null,
        avatar_decoration_data: null,
        locale: 'en-US',
        mfa_enabled: false,
        premium_type: 0,
        ...email,
      },
    };
  }
}
