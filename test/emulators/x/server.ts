/**
 * A local X API v2 over real HTTP, faithful to reference/x-api.md: the user endpoints Flock
 * calls, OAuth 2.0 with PKCE (consent page, codes, rotating refresh tokens, revoke), rate
 * limits with their headers, a billing meter, a request log, a controllable clock and faults,
 * and the Activity API's follow events with their stream (activity.ts).
 * Tests start it on port 0; `npm run emulator:x` runs it on its own with demo accounts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Clock, systemClock } from '../../../src/clock.js';
import { ACTIVITY_ENDPOINTS, Activity, type ActivitySettings } from './activity.js';
import { Auth, type AuthorizeParams, type Identity, type OAuthApp } from './auth.js';
import { BillingMeter } from './billing.js';
import { BLOCKS_MUTES_ENDPOINTS, BlocksMutesApi, MUTE_WRITE_ENDPOINTS } from './blocks-mutes.js';
import { consentErrorPage, consentPage } from './consent-page.js';
import { Faults } from './faults.js';
import { PageTokens } from './page-tokens.js';
import { type Answer, serverError, tooManyRequests, unauthorized } from './problems.js';
import { type EndpointLimits, RateLimiter } from './rate-limiter.js';
import { matchRoute } from './routes.js';
import { type ApiSettings, UsersApi } from './users-api.js';
import { World } from './world.js';

export interface XEmulatorOptions {
  clock?: Clock;
  port?: number;
  apps?: OAuthApp[];
  /** Bearer token → app client id. */
  bearerTokens?: Record<string, string>;
  limits?: Record<string, EndpointLimits>;
  accessTtlMs?: number;
  codeTtlMs?: number;
  revokeFamilyOnReuse?: boolean;
  settings?: Partial<EmulatorSettings>;
  activity?: Partial<ActivitySettings>;
}

export interface EmulatorSettings extends ApiSettings {
  /** X's usual problem body for 429, or the legacy code-88 body. */
  rateLimitStyle: 'problem' | 'legacy';
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  query: string;
  /** The route template for API calls, e.g. `GET /2/users/:id/followers`. */
  endpoint: string | undefined;
  /** `app:<client id>`, `user:<id>`, or `none`. */
  credential: string;
  status: number;
}

export const DEFAULT_CLIENT_ID = 'flock-emulator-client';
export const DEFAULT_BEARER = 'flock-emulator-bearer';

const MAX_BODY = 64 * 1024;

export class XEmulator {
  readonly world: World;
  readonly auth: Auth;
  readonly limiter: RateLimiter;
  readonly billing: BillingMeter;
  readonly faults = new Faults();
  readonly settings: EmulatorSettings;
  /** The Activity API: subscriptions, events, open streams, and its settings and faults. */
  readonly activity: Activity;
  readonly log: RequestLogEntry[] = [];
  /** Who the consent page shows as signed in. */
  signedInUserId: string | undefined;
  url = '';
  readonly #api: UsersApi;
  readonly #blocksMutes: BlocksMutesApi;
  readonly #server = createServer((req, res) => void this.#handle(req, res));
  readonly #sockets = new Set<Socket>();
  readonly #clock: Clock;

  constructor(options: XEmulatorOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    const now = () => this.#clock.now();
    this.world = new World(now);
    this.auth = new Auth(now, {
      apps: options.apps ?? [
        {
          clientId: DEFAULT_CLIENT_ID,
          name: 'Flock',
          redirectUris: ['http://localhost:3000/oauth/callback'],
        },
      ],
      bearerTokens: options.bearerTokens ?? { [DEFAULT_BEARER]: DEFAULT_CLIENT_ID },
      accessTtlMs: options.accessTtlMs,
      codeTtlMs: options.codeTtlMs,
      revokeFamilyOnReuse: options.revokeFamilyOnReuse,
    });
    this.limiter = new RateLimiter(now, options.limits);
    this.billing = new BillingMeter(now);
    this.settings = {
      notFoundStyle: '200',
      postCountField: 'tweet_count',
      notEnrolled: new Set(),
      paginationTokenTtlMs: 24 * 60 * 60_000,
      rateLimitStyle: 'problem',
      ...options.settings,
    };
    this.#api = new UsersApi(this.world, this.billing, this.settings, now);
    this.#blocksMutes = new BlocksMutesApi({
      world: this.world,
      billing: this.billing,
      settings: this.settings,
      pages: new PageTokens(now, () => this.settings.paginationTokenTtlMs),
      render: (user, fields) => this.#api.render(user, fields),
    });
    this.activity = new Activity(
      {
        world: this.world,
        billing: this.billing,
        apiSettings: this.settings,
        render: (user, fields) => this.#api.render(user, fields),
        now,
      },
      options.activity,
    );
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async listen(port = 0): Promise<this> {
    // A port in use rejects (the standalone says so in one line) rather than throwing from an event.
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The consent URL a client sends users to, on this emulator. */
  get authorizeUrl(): string {
    return `${this.url}/i/oauth2/authorize`;
  }

  /** Approves a consent URL as `userId`, as the page's button would; returns where X redirects. */
  approve(authorizeUrl: string, userId: string): string {
    return this.#decide(
      Object.fromEntries(new URL(authorizeUrl).searchParams) as AuthorizeParams,
      'approve',
      userId,
    );
  }

  deny(authorizeUrl: string): string {
    return this.#decide(
      Object.fromEntries(new URL(authorizeUrl).searchParams) as AuthorizeParams,
      'deny',
      undefined,
    );
  }

  /** API requests so far, optionally only those whose `METHOD path` matches. */
  requests(match?: string | RegExp): RequestLogEntry[] {
    const api = this.log.filter((e) => e.endpoint !== undefined);
    if (match === undefined) return api;
    return api.filter((e) => {
      const target = `${e.method} ${e.path}`;
      return typeof match === 'string' ? target.includes(match) || e.endpoint === match : match.test(target);
    });
  }

  /** A plan without the follow endpoints (X removed them from self-serve plans in 2026). */
  removeFollowEndpoints(): void {
    this.settings.notEnrolled.add('POST /2/users/:id/following');
    this.settings.notEnrolled.add('DELETE /2/users/:source_user_id/following/:target_user_id');
  }

  /** A plan without mute writes (403 client-not-enrolled), as X may yet do to them as it did to follows. */
  removeMuteEndpoints(): void {
    for (const endpoint of MUTE_WRITE_ENDPOINTS) this.settings.notEnrolled.add(endpoint);
  }

  /** Makes `userId` the owner of the app (`clientId`, the default one unless said): its own reads are owned reads. */
  setAppOwner(userId: string | undefined, clientId = DEFAULT_CLIENT_ID): void {
    const app = this.auth.apps.get(clientId);
    if (!app) throw new Error(`no app ${clientId}`);
    app.ownerId = userId;
  }

  /** A plan without the Activity API (403 client-not-enrolled on its endpoints). */
  removeActivityApi(): void {
    for (const endpoint of ACTIVITY_ENDPOINTS) this.settings.notEnrolled.add(endpoint);
  }

  #decide(params: AuthorizeParams, decision: 'approve' | 'deny', userId: string | undefined): string {
    const problem = this.auth.validateAuthorize(params);
    if (problem) throw new Error(problem);
    const redirect = new URL(params.redirect_uri ?? '');
    if (decision === 'deny' || !userId) {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      if (!this.world.users.has(userId)) throw new Error(`no user ${userId}`);
      redirect.searchParams.set('code', this.auth.issueCode(params, userId));
    }
    redirect.searchParams.set('state', params.state ?? '');
    return redirect.toString();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const entry: RequestLogEntry = {
      at: this.#clock.now(),
      method,
      path: url.pathname,
      query: url.search,
      endpoint: undefined,
      credential: 'none',
      status: 0,
    };
    this.log.push(entry);
    let answerAfterMs = 0;
    const send = async (answer: Answer) => {
      entry.status = answer.status;
      if (answerAfterMs) await new Promise((r) => setTimeout(r, answerAfterMs));
      const headers: Record<string, string> = { ...answer.headers };
      if (typeof answer.body === 'string') {
        headers['content-type'] = answer.contentType ?? 'text/html; charset=utf-8';
        res.writeHead(answer.status, headers).end(answer.body);
      } else {
        headers['content-type'] = answer.contentType ?? 'application/json; charset=utf-8';
        res
          .writeHead(answer.status, headers)
          .end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }
    };

    const route = matchRoute(method, url.pathname);
    entry.endpoint = route?.endpoint;
    try {
      const fault = this.faults.take(method, url.pathname);
      if (fault && 'hang' in fault) return; // never answered; close() cuts it
      if (fault && 'drop' in fault) {
        req.socket.destroy();
        return;
      }
      if (fault && 'latencyMs' in fault) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault && 'answerAfterMs' in fault) answerAfterMs = fault.answerAfterMs;
      if (fault && 'status' in fault) {
        if (fault.status !== 429) return send(serverError(fault.status));
        // X's own 429s carry the headers of the bucket they emptied.
        const reset = String(Math.ceil((this.#clock.now() + 15 * 60_000) / 1000));
        const headers = {
          'x-rate-limit-limit': '300',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': reset,
        };
        return send({ ...tooManyRequests(this.settings.rateLimitStyle), headers });
      }

      const body = await readBody(req);
      if (body === undefined) return send({ status: 413, body: { title: 'Payload Too Large', status: 413 } });

      if (url.pathname === '/i/oauth2/authorize') return send(this.#consent(method, url, body));
      if (method === 'POST' && url.pathname === '/2/oauth2/token') {
        entry.credential = 'client';
        return send(this.auth.tokenEndpoint(new URLSearchParams(body), req.headers.authorization));
      }
      if (method === 'POST' && url.pathname === '/2/oauth2/revoke') {
        entry.credential = 'client';
        return send(this.auth.revokeEndpoint(new URLSearchParams(body), req.headers.authorization));
      }

      if (route) {
        const { endpoint, params } = route;
        const identity = this.auth.identify(req.headers.authorization);
        if (!identity) return send(unauthorized());
        entry.credential = credentialKey(identity);
        const verdict = this.limiter.take(
          endpoint,
          identity.kind === 'app'
            ? identity
            : { kind: 'user', userId: identity.userId, appId: identity.appId },
        );
        if (!verdict.allowed)
          return send({ ...tooManyRequests(this.settings.rateLimitStyle), headers: verdict.headers });
        let json: unknown;
        if (body) {
          try {
            json = JSON.parse(body);
          } catch {
            return send({
              status: 400,
              body: {
                title: 'Invalid Request',
                detail: 'The request body is not valid JSON.',
                type: 'https://api.x.com/2/problems/invalid-request',
              },
            });
          }
        }
        const request = { endpoint, params, query: url.searchParams, json, identity };
        if (endpoint === 'GET /2/activity/stream') {
          const refusal = this.activity.openStream(request, res, verdict.headers);
          if (refusal) return send({ ...refusal, headers: { ...verdict.headers, ...refusal.headers } });
          entry.status = 200;
          return;
        }
        const answer = endpoint.includes(' /2/activity/')
          ? this.activity.handle(request)
          : BLOCKS_MUTES_ENDPOINTS.has(endpoint)
            ? this.#blocksMutes.handle(request)
            : this.#api.handle(request);
        return send({ ...answer, headers: { ...verdict.headers, ...answer.headers } });
      }
      await send({
        status: 404,
        body: { title: 'Not Found', type: 'about:blank', status: 404, detail: 'Not Found' },
      });
    } catch (error) {
      await send({ status: 500, body: { title: 'Emulator error', detail: String(error) } });
    }
  }

  #consent(method: string, url: URL, body: string): Answer {
    const params = (
      method === 'POST' ? Object.fromEntries(new URLSearchParams(body)) : Object.fromEntries(url.searchParams)
    ) as AuthorizeParams & {
      decision?: string;
      user_id?: string;
    };
    const problem = this.auth.validateAuthorize(params);
    if (problem) return { status: 400, body: consentErrorPage(problem) };
    if (method === 'GET') {
      const app = this.auth.apps.get(params.client_id ?? '');
      const users = [...this.world.users.values()].filter((u) => u.state === 'active').slice(0, 100);
      return { status: 200, body: consentPage(app as OAuthApp, pick(params), users, this.signedInUserId) };
    }
    const location = this.#decide(
      pick(params),
      params.decision === 'approve' ? 'approve' : 'deny',
      params.user_id,
    );
    return { status: 302, body: '', headers: { location } };
  }
}

function pick(params: AuthorizeParams): AuthorizeParams {
  const { response_type, client_id, redirect_uri, scope, state, code_challenge, code_challenge_method } =
    params;
  return { response_type, client_id, redirect_uri, scope, state, code_challenge, code_challenge_method };
}

function credentialKey(identity: Identity): string {
  return identity.kind === 'app' ? `app:${identity.appId}` : `user:${identity.userId}`;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts an emulator on 127.0.0.1 (port 0 picks a free one). */
export async function startXEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  return new XEmulator(options).listen(options.port);
}
