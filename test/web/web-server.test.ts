/** Flock's web server as a client (or an attacker) meets it: headers, methods, limits and timeouts. */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
    // Read whatever comes (a 408), or the socket never sees the server close it.
    socket.resume();
  });
}

const closed = (socket: Socket) =>
  socket.destroyed || socket.readyState === 'closed'
    ? Promise.resolve()
    : new Promise<void>((resolve) => socket.once('close', () => resolve()));

/** Sends raw bytes and reads until the server closes or `ms` pass. */
async function raw(url: string, request: string, ms = 2_000): Promise<string> {
  const socket = await openSocket(url);
  let answer = '';
  socket.on('data', (d) => {
    answer += String(d);
  });
  socket.write(request);
  await Promise.race([closed(socket), new Promise((r) => setTimeout(r, ms))]);
  socket.destroy();
  return answer;
}

describe('the web server', () => {
  it('sends strict headers on every page, and answers nothing else', async () => {
    bot = await startBot();
    const browser = new WebClient();
    const page = await browser.visit(`${bot.config.web.publicUrl}/oauth/callback`);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; img-src 'none'; form-action 'none'; frame-ancestors 'none'/,
    );
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // Plain http (a loopback PUBLIC_URL): no HSTS, which browsers ignore over http anyway.
    expect(page.headers.get('strict-transport-security')).toBeNull();
    expect((await browser.visit(`${bot.config.web.publicUrl}/`)).status).toBe(404);
    expect((await browser.visit(`${bot.config.web.publicUrl}/link/../../etc/passwd`)).status).toBe(404);
    const post = await fetch(`${bot.config.web.publicUrl}/oauth/callback?code=a&state=b`, {
      method: 'POST',
      body: 'x'.repeat(10_000),
    });
    expect(post.status).toBe(405);
    expect(
      (await browser.visit(`${bot.config.web.publicUrl}/oauth/callback?state=${'a'.repeat(5000)}`)).status,
    ).toBe(414);
    expect((await browser.visit(`${bot.config.web.publicUrl}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('listens on every interface, or on HOST alone', async () => {
    bot = await startBot();
    expect(['::', '0.0.0.0']).toContain(bot.flock.web.address);
    await bot.close();
    bot = await startBot({ HOST: '127.0.0.1' });
    expect(bot.flock.web.address).toBe('127.0.0.1');
    expect((await fetch(`${bot.config.web.publicUrl}/healthz`)).status).toBe(200);
  });

  it('answers 400 to a request target it cannot read, and logs no error', async () => {
    bot = await startBot();
    const answer = await raw(
      bot.flock.web.url,
      'GET //x:99999 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(bot.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });

  it('binds the link to a plain cookie on http', async () => {
    bot = await startBot();
    const reply = await bot.discord.command('link').reply();
    const start = await fetch(linkButtonUrl(reply), { redirect: 'manual' });
    expect(start.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^flock_link=[\w-]{43}; Max-Age=900; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);
  });

  it('uses a __Host- Secure cookie and sends HSTS when PUBLIC_URL is https', async () => {
    bot = await startBot({ PUBLIC_URL: 'https://flock.example.com' });
    const reply = await bot.discord.command('link').reply();
    const path = new URL(linkButtonUrl(reply)).pathname;
    const start = await fetch(`${bot.flock.web.url}${path}`, { redirect: 'manual' });
    expect(start.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        /^__Host-flock_link=[\w-]{43}; Max-Age=900; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      ),
    ]);
    expect(start.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('closes connections that send nothing, and refuses more than its cap', async () => {
    bot = await startBot({}, { webLimits: { maxConnections: 20, headersTimeoutMs: 300 } });
    const url = bot.flock.web.url;
    const sockets = await Promise.all(
      Array.from({ length: 60 }, () => openSocket(url).catch(() => undefined)),
    );
    const open = sockets.filter((s): s is Socket => s !== undefined);
    // Past the cap, the server drops new connections at once.
    await new Promise((r) => setTimeout(r, 100));
    expect(open.filter((s) => !s.destroyed && s.readyState === 'open').length).toBeLessThanOrEqual(20);
    // And every silent one is answered 408 and closed once its headers timeout has passed.
    await Promise.all(open.map((s) => Promise.race([closed(s), new Promise((r) => setTimeout(r, 3_000))])));
    expect(open.filter((s) => !s.destroyed && s.readyState === 'open')).toEqual([]);
    // The server still answers.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('cuts a client that sends its headers too slowly', async () => {
    bot = await startBot({}, { webLimits: { headersTimeoutMs: 300 } });
    const socket = await openSocket(bot.flock.web.url);
    socket.write('GET /healthz HTTP/1.1\r\nHost: a\r\n');
    let answer = '';
    socket.on('data', (d) => {
      answer += String(d);
    });
    await Promise.race([closed(socket), new Promise((r) => setTimeout(r, 3_000))]);
    expect(socket.destroyed || socket.readyState === 'closed').toBe(true);
    expect(answer).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });
});
