/**
 * The page's HTTP server on 127.0.0.1: the page and its scripts, the JSON API, Server-Sent Events
 * that push each message as Flock posts or edits it, attachments (Flock's charts) and offline
 * avatars. It answers only requests addressed to itself (no other Host, no other site's form), so
 * a web page elsewhere cannot drive it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { attachmentBytes } from '../test/emulators/discord/message-files.js';
import type { Api, ApiAnswer } from './api.js';
import { avatarSvg } from './avatar.js';
import type { LogEvent, MessageLog } from './message-log.js';

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

const PAGE_DIR = new URL('./page/', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
/** Images the page may show inline; any other attachment is offered as a download. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const MAX_BODY = 64 * 1024;
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The page's files, read once: nothing outside the folder can be asked for by name. */
function readPage(): Map<string, { type: string; bytes: Buffer }> {
  const files = new Map<string, { type: string; bytes: Buffer }>();
  for (const name of readdirSync(PAGE_DIR)) {
    const type = TYPES[extname(name)];
    if (type)
      files.set(name === 'index.html' ? '/' : `/${name}`, {
        type,
        bytes: readFileSync(join(PAGE_DIR, name)),
      });
  }
  return files;
}

export async function startPageServer(options: {
  port: number;
  api: Api;
  log: MessageLog;
}): Promise<PageServer> {
  const page = readPage();
  let origin = '';
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra = {}) => {
    res.writeHead(status, { ...HEADERS, 'content-type': type, ...extra }).end(body);
  };
  const json = (res: ServerResponse, answer: ApiAnswer) =>
    send(res, answer.status, 'application/json', JSON.stringify(answer.body), answer.headers);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Another Host is a rebound DNS name; localhost would miss the emulators' cookies (see api.ts).
    if (req.headers.host !== origin.slice('http://'.length))
      return send(res, 421, 'text/plain', `Open ${origin}/ instead.`);
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/api/')) {
      if (method === 'GET' && url.pathname === '/api/events') return events(req, res, options.log);
      // JSON bodies only, from this page only: another site's form can send neither.
      const fromHere = req.headers.origin === undefined || req.headers.origin === origin;
      const isJson = /^application\/json\b/.test(req.headers['content-type'] ?? '');
      if (method === 'POST' && (!fromHere || !isJson))
        return json(res, { status: 403, body: { error: 'Refused.' } });
      const body = method === 'POST' ? await readJson(req) : {};
      if (body === undefined) return json(res, { status: 400, body: { error: 'The body must be JSON.' } });
      return json(res, await options.api.handle(method, url.pathname, body));
    }
    if (method !== 'GET') return send(res, 405, 'text/plain', 'Method not allowed.');
    // Browsers ask for it on their own; the page has none.
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    const file = page.get(url.pathname);
    if (file) return send(res, 200, file.type, file.bytes);
    const avatar = /^\/avatars\/(\d{1,25})\.svg$/.exec(url.pathname)?.[1];
    if (avatar) return send(res, 200, 'image/svg+xml', avatarSvg(avatar));
    const attachment = /^\/attachments\/(\d{1,25})\/(\d{1,25})$/.exec(url.pathname);
    if (attachment) return sendAttachment(res, options.log, attachment[1] ?? '', attachment[2] ?? '', send);
    return send(res, 404, 'text/plain', 'Not found.');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('playground: a request failed', error);
      if (!res.headersSent)
        json(res, { status: 500, body: { error: 'Something went wrong; see the terminal.' } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      // Event streams never end on their own.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Server-Sent Events: everything the log holds, then each change as it happens. */
function events(req: IncomingMessage, res: ServerResponse, log: MessageLog): void {
  res.writeHead(200, { ...HEADERS, 'content-type': 'text/event-stream' });
  const write = (event: LogEvent) => res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
  res.write('retry: 1000\n\n');
  for (const shown of log.all()) write({ kind: 'message', shown });
  const stop = log.subscribe(write);
  req.on('close', stop);
}

function sendAttachment(
  res: ServerResponse,
  log: MessageLog,
  messageId: string,
  attachmentId: string,
  send: (res: ServerResponse, status: number, type: string, body: Buffer | string, extra?: object) => void,
): void {
  const attachments = (log.get(messageId)?.message.attachments ?? []) as {
    id?: string;
    content_type?: string;
  }[];
  const attachment = attachments.find((a) => a.id === attachmentId);
  const bytes = attachment && attachmentBytes(attachment);
  const type = String(attachment?.content_type);
  if (!bytes) send(res, 404, 'text/plain', 'Not found.');
  else if (IMAGE_TYPES.has(type)) send(res, 200, type, bytes);
  else send(res, 200, 'application/octet-stream', bytes, { 'content-disposition': 'attachment' });
}
