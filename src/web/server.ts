/**
 * Flock's HTTP server: the OAuth pages come with account linking; for now, health. Anything
 * else is a 404, and every answer carries headers that keep it out of caches and referrers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

export async function startWebServer(options: {
  port: number;
  log: Logger;
  health: () => boolean;
}): Promise<WebServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://flock').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      const ok = options.health();
      res
        .writeHead(ok ? 200 : 503, { ...SECURITY_HEADERS, 'content-type': 'application/json' })
        .end(JSON.stringify({ ok }));
      return;
    }
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, resolve);
  });
  const { port } = server.address() as AddressInfo;
  options.log.info('web server listening', { port });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
