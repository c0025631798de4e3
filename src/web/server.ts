/**
 * Flock's HTTP server: the OAuth start and callback pages, and health. Anything else is a 404.
 * Every answer carries a strict CSP, no-referrer and no-store; requests are small GETs only, and
 * the one redirect goes to the configured X consent page, never to a URL from the request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LinkFlow } from '../accounts/link-flow.js';
import type { Logger } from '../log.js';
import { PAGES, type Page, renderPage, STYLE_HASH } from './pages.js';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

export interface WebOptions {
  port: number;
  log: Logger;
  health: () => boolean;
  linking: LinkFlow;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
};

/** Callback URLs are short; anything much longer is not X's. */
const MAX_URL_LENGTH = 4096;

export async function startWebServer(options: WebOptions): Promise<WebServer> {
  const { log } = options;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('web request failed', { error, path: req.url?.split('?')[0] });
      if (!res.headersSent) sendPage(res, PAGES.unavailable);
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.maxHeadersCount = 50;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url?.length ?? 0) > MAX_URL_LENGTH) return sendPage(res, { ...PAGES.badRequest, status: 414 });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // No route takes a body: refuse before reading one.
      res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD', connection: 'close' }).end();
      req.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://flock.invalid');
    if (url.pathname === '/healthz') {
      const ok = options.health();
      res
        .writeHead(ok ? 200 : 503, { ...SECURITY_HEADERS, 'content-type': 'application/json' })
        .end(JSON.stringify({ ok }));
      return;
    }
    const { linking } = options;
    const start = /^\/oauth\/start\/([A-Za-z0-9_-]{22})$/.exec(url.pathname);
    if (start?.[1]) {
      const result = await linking.start(start[1]);
      if (result.kind === 'redirect') {
        res.writeHead(302, { ...SECURITY_HEADERS, location: result.url }).end();
        return;
      }
      return sendPage(res, PAGES[result.kind]);
    }
    if (url.pathname === '/oauth/callback') {
      const result = await linking.finish({
        code: url.searchParams.get('code'),
        state: url.searchParams.get('state'),
        error: url.searchParams.get('error'),
      });
      return sendPage(res, result.kind === 'linked' ? PAGES.linked(result.username) : PAGES[result.kind]);
    }
    sendPage(res, PAGES.notFound);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log.info('web server listening', { port });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendPage(res: ServerResponse, page: Page): void {
  res
    .writeHead(page.status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' })
    .end(renderPage(page));
}
