/**
 * Flock's HTTP server: the link flow's pages (start, Discord's and X's callbacks, the Linked Roles
 * entry) and health. Anything else is a 404. Every answer carries a strict CSP, no-referrer and
 * no-store (and HSTS behind https); requests are small GETs only; redirects go to the configured
 * consent pages, never to a URL from the request. Slow or idle connections are cut, and the number
 * of connections is capped: it is meant to sit behind a reverse proxy that terminates https.
 * A page that ends someone's /link speaks the language /link was run in; any other page, the
 * browser's (Accept-Language).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { FlowResult, LinkFlow } from '../accounts/link-flow.js';
import { type Translator, translator } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import { isStoreAway } from '../store/store-error.js';
import { browserLocale } from './accept-language.js';
import { PAGES, type PageFor, renderPage, STYLE_HASH } from './pages.js';

export interface WebServer {
  url: string;
  /** The address it listens on (`::` or `0.0.0.0` for every interface). */
  address: string;
  close(): Promise<void>;
}

export interface WebLimits {
  /** Connections open at once; more are refused until some close. */
  maxConnections: number;
  /** Time to send the request headers. */
  headersTimeoutMs: number;
  /** Time to send the whole request. */
  requestTimeoutMs: number;
  /** A connection with no request in progress is closed after this long. */
  idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: WebLimits = {
  maxConnections: 512,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 15_000,
};

/** What /healthz answers: `ok` decides 200 or 503; the other fields are reported as they are. */
export interface Health {
  ok: boolean;
  [detail: string]: unknown;
}

export interface WebOptions {
  port: number;
  /** Listens on this address only; every interface when undefined. */
  host?: string | undefined;
  /** Where browsers reach Flock: decides the cookie's name and flags, and HSTS. */
  publicUrl: string;
  log: Logger;
  health: () => Health | Promise<Health>;
  linking: LinkFlow;
  limits?: Partial<WebLimits>;
}

/** Callback URLs are short; anything much longer is not Discord's or X's. */
const MAX_URL_LENGTH = 4096;
const BROWSER_SECRET = /^[A-Za-z0-9_-]{43}$/;
/** The cookie lives as long as a link attempt can, and a little more. */
const COOKIE_MAX_AGE_S = 15 * 60;

export async function startWebServer(options: WebOptions): Promise<WebServer> {
  const { log, linking } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const secure = new URL(options.publicUrl).protocol === 'https:';
  // Browsers drop __Host- cookies that are not Secure, and Secure cookies over plain http.
  const cookieName = secure ? '__Host-flock_link' : 'flock_link';
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };

  const server: Server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: Math.min(5_000, limits.idleTimeoutMs),
      // How often Node checks the two timeouts above (30 s by default, far too coarse for them).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      maxHeaderSize: 8 * 1024,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        const away = isStoreAway(error);
        log[away ? 'warn' : 'error']('web request failed', { error, path: req.url?.split('?')[0] });
        if (!res.headersSent) sendPage(res, away ? PAGES.storeAway : PAGES.unavailable, browserWords(req));
      });
    },
  );
  server.maxHeadersCount = 50;
  server.maxConnections = limits.maxConnections;
  // A connection that sends nothing is answered 408 and closed after the headers timeout; one
  // that sits idle between requests, after the keep-alive timeout; anything else idle, after this.
  server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  // A flood of connections must not become a flood of log lines: one line a minute at most.
  let dropped = 0;
  let lastDropLog = 0;
  server.on('drop', () => {
    dropped += 1;
    if (Date.now() - lastDropLog < 60_000) return;
    log.warn('web connections refused: too many open', { max: limits.maxConnections, dropped });
    lastDropLog = Date.now();
    dropped = 0;
  });

  function sendPage(res: ServerResponse, page: PageFor, t: Translator): void {
    const shown = page(t);
    res
      .writeHead(shown.status, {
        ...headers,
        'content-type': 'text/html; charset=utf-8',
        'content-language': t.language,
        // A page without an attempt is worded by the browser's Accept-Language.
        vary: 'Accept-Language',
      })
      .end(renderPage(shown, t));
  }

  /** The words of the browser's own language, for a page that belongs to no attempt. */
  function browserWords(req: IncomingMessage): Translator {
    return translator(browserLocale(req.headers['accept-language']));
  }

  function refuse(req: IncomingMessage, res: ServerResponse, allow: string): void {
    // No route takes a body: answer before reading one, and close.
    res.writeHead(405, { ...headers, allow, connection: 'close' }).end();
    req.destroy();
  }

  function browserSecret(req: IncomingMessage): string | undefined {
    const value = parseCookies(req.headers.cookie ?? '')[cookieName];
    return value && BROWSER_SECRET.test(value) ? value : undefined;
  }

  function answer(req: IncomingMessage, res: ServerResponse, result: FlowResult): void {
    if (result.kind === 'redirect') {
      const cookie = result.cookie
        ? {
            'set-cookie': serializeCookie(cookieName, result.cookie, {
              httpOnly: true,
              sameSite: 'lax',
              secure,
              path: '/',
              maxAge: COOKIE_MAX_AGE_S,
            }),
          }
        : {};
      res.writeHead(302, { ...headers, ...cookie, location: result.url }).end();
      return;
    }
    // The attempt's person reads it in their Discord language; anyone else, in their browser's.
    sendPage(res, pageFor(result), result.locale ? translator(result.locale) : browserWords(req));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url?.length ?? 0) > MAX_URL_LENGTH)
      return sendPage(res, (t) => ({ ...PAGES.badRequest(t), status: 414 }), browserWords(req));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://flock.invalid');
    } catch {
      return sendPage(res, PAGES.badRequest, browserWords(req));
    }
    const path = url.pathname;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(req, res, 'GET, HEAD');
      const health = await options.health();
      res
        .writeHead(health.ok ? 200 : 503, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify(health));
      return;
    }
    // Every other route changes state: GET only (a HEAD must not finish a link).
    if (req.method !== 'GET') return refuse(req, res, 'GET');
    const params = () => ({
      code: url.searchParams.get('code'),
      state: url.searchParams.get('state'),
      error: url.searchParams.get('error'),
    });
    const start = /^\/link\/([A-Za-z0-9_-]{22})$/.exec(path);
    if (start?.[1]) return answer(req, res, await linking.open(start[1], browserSecret(req)));
    if (path === '/linked-roles') return answer(req, res, linking.openLinkedRoles(browserSecret(req)));
    if (path === '/oauth/discord/callback')
      return answer(req, res, await linking.discordCallback(params(), browserSecret(req)));
    if (path === '/oauth/callback')
      return answer(req, res, await linking.xCallback(params(), browserSecret(req)));
    // Link buttons from before the Discord sign-in step pointed here.
    if (path.startsWith('/oauth/start/')) return sendPage(res, PAGES.unknown, browserWords(req));
    sendPage(res, PAGES.notFound, browserWords(req));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  log.info('web server listening', { port, address });
  return {
    url: `http://127.0.0.1:${port}`,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pageFor(result: Exclude<FlowResult, { kind: 'redirect' }>): PageFor {
  switch (result.kind) {
    case 'linked':
      return PAGES.linked(result.username);
    case 'verified':
      return PAGES.verified(result.username);
    case 'other-browser':
      return PAGES.otherBrowser;
    case 'wrong-user':
      return PAGES.wrongUser;
    case 'x-taken':
      return PAGES.xTaken;
    case 'discord-refused':
      return PAGES.discordRefused;
    case 'discord-unavailable':
      return PAGES.discordUnavailable;
    case 'not-configured':
      return PAGES.notConfigured;
    default:
      return PAGES[result.kind];
  }
}
