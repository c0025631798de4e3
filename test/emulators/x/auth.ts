/**
 * Credentials of the emulated X: app Bearer tokens, OAuth 2.0 apps, authorization codes (30 s,
 * single use, bound to a PKCE challenge and a redirect URI), access tokens that expire, and
 * refresh tokens that rotate: each works once, and by default reusing a spent one revokes the
 * whole grant, as X may.
 */
import { createHash } from 'node:crypto';
import { type Answer, oauthError } from './problems.js';
import { World } from './world.js';

export const KNOWN_SCOPES = new Set([
  'tweet.read',
  'tweet.write',
  'tweet.moderate.write',
  'users.read',
  'users.email',
  'follows.read',
  'follows.write',
  'offline.access',
  'space.read',
  'mute.read',
  'mute.write',
  'like.read',
  'like.write',
  'list.read',
  'list.write',
  'block.read',
  'block.write',
  'bookmark.read',
  'bookmark.write',
  'dm.read',
  'dm.write',
  'media.write',
]);

export interface OAuthApp {
  clientId: string;
  /** Present for a confidential client. */
  clientSecret?: string;
  redirectUris: string[];
  name: string;
  /** The X user id of the account that owns the developer app: its own reads are owned reads. */
  ownerId?: string;
}

export type Identity =
  | { kind: 'app'; appId: string }
  | {
      kind: 'user';
      appId: string;
      userId: string;
      scopes: Set<string>;
      /** The token's user owns the app the token was issued to. */
      ownsApp?: boolean;
    };

interface Grant {
  userId: string;
  clientId: string;
  scopes: string[];
  family: string;
}

interface AccessRecord extends Grant {
  expiresAt: number;
  revoked: boolean;
}

interface RefreshRecord extends Grant {
  spent: boolean;
  revoked: boolean;
}

interface CodeRecord extends Grant {
  redirectUri: string;
  challenge: string;
  method: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
}

export interface AuthOptions {
  apps: OAuthApp[];
  /** Bearer token → the app it belongs to. */
  bearerTokens: Record<string, string>;
  accessTtlMs?: number;
  codeTtlMs?: number;
  revokeFamilyOnReuse?: boolean;
}

export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export class Auth {
  readonly apps = new Map<string, OAuthApp>();
  readonly bearerTokens: Map<string, string>;
  readonly #access = new Map<string, AccessRecord>();
  readonly #refresh = new Map<string, RefreshRecord>();
  readonly #codes = new Map<string, CodeRecord>();
  accessTtlMs: number;
  codeTtlMs: number;
  revokeFamilyOnReuse: boolean;

  constructor(
    private readonly now: () => number,
    options: AuthOptions,
  ) {
    for (const app of options.apps) this.apps.set(app.clientId, app);
    this.bearerTokens = new Map(Object.entries(options.bearerTokens));
    this.accessTtlMs = options.accessTtlMs ?? 7200_000;
    this.codeTtlMs = options.codeTtlMs ?? 30_000;
    this.revokeFamilyOnReuse = options.revokeFamilyOnReuse ?? true;
  }

  /** Who an `Authorization: Bearer …` header belongs to, if anyone. */
  identify(header: string | undefined): Identity | undefined {
    const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
    if (!token) return undefined;
    const appId = this.bearerTokens.get(token);
    if (appId) return { kind: 'app', appId };
    const record = this.#access.get(token);
    if (!record || record.revoked || record.expiresAt <= this.now()) return undefined;
    return {
      kind: 'user',
      appId: record.clientId,
      userId: record.userId,
      scopes: new Set(record.scopes),
      ownsApp: this.apps.get(record.clientId)?.ownerId === record.userId,
    };
  }

  /** Checks consent-page parameters; returns a reason when the request is unusable. */
  validateAuthorize(params: AuthorizeParams): string | undefined {
    const app = params.client_id ? this.apps.get(params.client_id) : undefined;
    if (!app) return 'Something went wrong: this app is not known (client_id).';
    if (!params.redirect_uri || !app.redirectUris.includes(params.redirect_uri)) {
      return 'Something went wrong: the redirect_uri does not match one registered for this app.';
    }
    if (params.response_type !== 'code') return 'Something went wrong: response_type must be code.';
    if (!params.state || params.state.length > 500)
      return 'Something went wrong: state is missing or longer than 500 characters.';
    if (!params.code_challenge) return 'Something went wrong: code_challenge is missing.';
    if (params.code_challenge_method !== 'S256' && params.code_challenge_method !== 'plain') {
      return 'Something went wrong: code_challenge_method must be S256 or plain.';
    }
    const scopes = (params.scope ?? '').split(' ').filter(Boolean);
    if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s)))
      return 'Something went wrong: the scope is missing or unknown.';
    return undefined;
  }

  /** The user approved: a code for the redirect. Parameters must have passed validateAuthorize. */
  issueCode(params: AuthorizeParams, userId: string): string {
    const code = World.randomToken(32);
    this.#codes.set(code, {
      userId,
      clientId: params.client_id ?? '',
      scopes: (params.scope ?? '').split(' ').filter(Boolean),
      family: World.randomToken(8),
      redirectUri: params.redirect_uri ?? '',
      challenge: params.code_challenge ?? '',
      method: params.code_challenge_method === 'plain' ? 'plain' : 'S256',
      expiresAt: this.now() + this.codeTtlMs,
      used: false,
    });
    return code;
  }

  /** Tokens for a user without the consent dance, for tests that start already linked. */
  mintTokens(userId: string, clientId: string, scopes: string[]) {
    return this.#issue({ userId, clientId, scopes, family: World.randomToken(8) });
  }

  #issue(grant: Grant) {
    const accessToken = World.randomToken(40);
    this.#access.set(accessToken, { ...grant, expiresAt: this.now() + this.accessTtlMs, revoked: false });
    const body: Record<string, unknown> = {
      token_type: 'bearer',
      expires_in: Math.round(this.accessTtlMs / 1000),
      access_token: accessToken,
      scope: grant.scopes.join(' '),
    };
    if (grant.scopes.includes('offline.access')) {
      const refreshToken = World.randomToken(40);
      this.#refresh.set(refreshToken, { ...grant, spent: false, revoked: false });
      body.refresh_token = refreshToken;
    }
    return body as {
      token_type: string;
      expires_in: number;
      access_token: string;
      scope: string;
      refresh_token?: string;
    };
  }

  /** Client authentication at the token and revoke endpoints. */
  #client(form: URLSearchParams, authorization: string | undefined): OAuthApp | Answer {
    const basic = /^Basic (\S+)$/i.exec(authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    const clientId = form.get('client_id') ?? basicId;
    const app = clientId ? this.apps.get(clientId) : undefined;
    if (!app) return oauthError(400, 'invalid_request', 'Missing required parameter [client_id].');
    if (app.clientSecret !== undefined && (basicId !== app.clientId || basicSecret !== app.clientSecret)) {
      return oauthError(401, 'unauthorized_client', 'Missing valid authorization header');
    }
    return app;
  }

  tokenEndpoint(form: URLSearchParams, authorization: string | undefined): Answer {
    const app = this.#client(form, authorization);
    if ('status' in app) return app;
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = this.#codes.get(form.get('code') ?? '');
      if (!code || code.used || code.expiresAt <= this.now() || code.clientId !== app.clientId) {
        return oauthError(400, 'invalid_request', 'Value passed for the authorization code was invalid.');
      }
      code.used = true;
      if (form.get('redirect_uri') !== code.redirectUri) {
        return oauthError(
          400,
          'invalid_request',
          'Value passed for the redirect uri did not match the uri of the authorization code.',
        );
      }
      const verifier = form.get('code_verifier') ?? '';
      const expected =
        code.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!verifier || expected !== code.challenge) {
        return oauthError(400, 'invalid_request', 'Value passed for the code verifier was invalid.');
      }
      return { status: 200, body: this.#issue(code) };
    }
    if (grantType === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const record = this.#refresh.get(token);
      if (!record || record.revoked || record.clientId !== app.clientId) {
        return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.');
      }
      if (record.spent) {
        if (this.revokeFamilyOnReuse) this.#revokeWhere((r) => r.family === record.family);
        return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.');
      }
      record.spent = true;
      return { status: 200, body: this.#issue(record) };
    }
    if (!grantType) return oauthError(400, 'invalid_request', 'Missing required parameter [grant_type].');
    return oauthError(400, 'unsupported_grant_type', 'Grant type is not supported.');
  }

  revokeEndpoint(form: URLSearchParams, authorization: string | undefined): Answer {
    const app = this.#client(form, authorization);
    if ('status' in app) return app;
    const token = form.get('token') ?? '';
    const access = this.#access.get(token);
    const refresh = this.#refresh.get(token);
    if (access?.clientId === app.clientId) access.revoked = true;
    if (refresh?.clientId === app.clientId) refresh.revoked = true;
    // X answers the same whether or not the token was live, so revoking is safe to repeat.
    return { status: 200, body: { revoked: true } };
  }

  /** The user revoked the app on x.com: every token of theirs stops working. */
  revokeUser(userId: string): void {
    this.#revokeWhere((r) => r.userId === userId);
  }

  /** Makes the user's access tokens expire now (refresh tokens stay good). */
  expireAccessTokens(userId?: string): void {
    for (const record of this.#access.values()) {
      if (userId === undefined || record.userId === userId) record.expiresAt = this.now();
    }
  }

  #revokeWhere(test: (grant: Grant) => boolean): void {
    for (const record of this.#access.values()) if (test(record)) record.revoked = true;
    for (const record of this.#refresh.values()) if (test(record)) record.revoked = true;
  }

  /** Tokens issued so far that still work, for tests that check what a client left behind. */
  liveTokens(userId: string): { access: number; refresh: number } {
    const now = this.now();
    return {
      access: [...this.#access.values()].filter((r) => r.userId === userId && !r.revoked && r.expiresAt > now)
        .length,
      refresh: [...this.#refresh.values()].filter((r) => r.userId === userId && !r.revoked && !r.spent)
        .length,
    };
  }
}
