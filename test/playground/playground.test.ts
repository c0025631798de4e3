/**
 * `npm run playground` as a person uses it, in headless Chromium: a /followers page turned with
 * Next and with Go to page's form, Flock's autocomplete, /link through Discord's and X's consent
 * pages in the same browser, replies only their user sees, an alert arriving in #alerts while the
 * X emulator adds followers, and a clean stop that leaves nothing behind.
 */
import { readdirSync, rmSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlayground, runPlayground, stopGroup } from './playground-process.js';

let browser: Browser;
let playground: RunningPlayground;
let url: string;
let page: Page;
const started: RunningPlayground[] = [];
/** What the browser asked of any host but 127.0.0.1, in any tab (the consent pages too). */
const elsewhere: string[] = [];
/** A free port, and a new follower of @flockdemo every 2 s so that an alert comes soon. */
const OPTIONS = ['--', '--port', '0', '--new-follower-every', '2'];

function start(command: string, args: string[]): RunningPlayground {
  const running = runPlayground(command, args);
  started.push(running);
  return running;
}

beforeAll(async () => {
  playground = start('npm', ['run', '--silent', 'playground', ...OPTIONS]);
  [browser, url] = await Promise.all([
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    }),
    playground.url(),
  ]);
  const context = await browser.newContext();
  context.on('request', (request) => {
    if (new URL(request.url()).hostname !== '127.0.0.1') elsewhere.push(request.url());
  });
  page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const running of started) {
    stopGroup(running, 'SIGKILL');
    rmSync(running.tmp, { recursive: true, force: true });
  }
});

const input = () => page.locator('#input');
const messages = () => page.locator('#messages article.message');

/** Types a command key by key, as a person does (suggestions come and go), and sends it. */
async function run(command: string): Promise<void> {
  await input().fill('');
  await input().pressSequentially(command);
  await input().press('Escape');
  await input().press('Enter');
}

/** The folders the playground made in its TMPDIR (tsx keeps a compile cache there too). */
const ownFolders = (running: RunningPlayground) =>
  readdirSync(running.tmp).filter((name) => name.startsWith('flock-playground-'));

describe('npm run playground', () => {
  it('prints one line with the page’s address', () => {
    expect(playground.output()).toBe(`Flock playground: ${url} (Ctrl-C stops it)\n`);
    expect(ownFolders(playground)).toHaveLength(1);
  });

  it('shows /followers as a page of faces, turned with Next and with Go to page’s form', async () => {
    await run('/followers user:flockdemo');
    const list = messages().last();
    await expect.poll(() => list.textContent()).toContain('Page 1 ·');
    expect(await list.locator('.used-line').textContent()).toBe('@mia used /followers');
    // Faces drawn by the page's own server, not fetched from X.
    const face = list.locator('img.thumbnail').first();
    expect(await face.getAttribute('src')).toMatch(/^\/avatars\/\d+\.svg$/);
    await expect
      .poll(() => face.evaluate((img) => Number(Reflect.get(img, 'naturalWidth'))))
      .toBeGreaterThan(0);
    const entries = () => list.locator('.container .section').allTextContents();
    const first = await entries();

    for (const next of [2, 3, 4]) {
      await list.getByRole('button', { name: /Next/ }).click();
      await expect.poll(() => list.textContent()).toContain(`Page ${next} ·`);
    }
    expect(await entries()).not.toEqual(first);
    await list.getByRole('button', { name: /Go to page/ }).click();
    const form = page.locator('dialog#modal');
    await form.getByRole('textbox').fill('1');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => list.textContent()).toContain('Page 1 ·');
    expect(await entries()).toEqual(first);
  });

  it('suggests what Flock’s autocomplete answers, and hides /alerts from a member', async () => {
    await input().fill('');
    await input().pressSequentially('/following user:flock');
    await expect.poll(() => page.locator('#popup').textContent()).toContain('Flock Demo (@flockdemo)');
    await input().fill('');
    await input().pressSequentially('/al');
    await expect.poll(() => page.locator('#popup').isHidden()).toBe(true);
    await input().fill('');
  });

  it('links an X account through Discord’s and X’s consent pages in the same browser', async () => {
    await page.selectOption('#x-account', { label: '@flockdemo (Flock Demo)' });
    await run('/link');
    const reply = messages().last();
    await expect.poll(() => reply.textContent()).toContain('Only you can see this');
    const opened = page.context().waitForEvent('page');
    await reply.getByRole('link', { name: /Connect X account/ }).click();
    const consent = await opened;
    await consent.waitForURL(/\/oauth2\/authorize\?/);
    expect(await consent.textContent('main')).toContain('Signed in as mia');
    await consent.click('button[value="approve"]');
    await consent.waitForURL(/\/i\/oauth2\/authorize\?/);
    await consent.click('button[value="approve"]');
    await consent.waitForURL(/\/oauth\/callback\?/);
    expect(await consent.textContent('h1')).toBe('Linked as @flockdemo');
    await consent.close();
    await expect.poll(() => reply.textContent()).toContain('Linked as @flockdemo');
  });

  it('posts alerts in #alerts after a moderator runs /alerts add, as new followers arrive', async () => {
    await page.selectOption('#user', { label: 'max (moderator)' });
    // mia's private reply is hers alone; the /followers list is everyone's.
    await expect.poll(() => page.locator('#messages').textContent()).not.toContain('Linked as');
    expect(await page.locator('#messages').textContent()).toContain('@mia used /followers');
    await run('/alerts add account:flockdemo channel:#alerts');
    await expect.poll(() => messages().last().textContent()).toContain('Added alerts for @flockdemo');
    await page.click('button[data-channel="alerts"]');
    await expect
      .poll(() => messages().first().textContent(), { timeout: 20_000 })
      .toMatch(/@flockdemo has \d+ new followers?\./);
  }, 30_000);

  it('draws hostile text as text: no markup, no script, no link but http(s), no picture from elsewhere', async () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const message = {
      id: '1',
      channel_id: '1',
      content: `**${evil}** [x](javascript:window.pwned=1) <script>window.pwned=1</script> [ok](https://x.com/ok)`,
      embeds: [
        {
          title: evil,
          url: 'javascript:1',
          description: evil,
          thumbnail: { url: 'https://evil.example/a.png' },
        },
      ],
      components: [
        {
          type: 17,
          components: [
            { type: 10, content: evil },
            {
              type: 9,
              components: [{ type: 10, content: evil }],
              accessory: { type: 11, media: { url: 'javascript:1' }, description: evil },
            },
          ],
        },
        {
          type: 1,
          components: [
            { type: 2, style: 5, label: evil, url: 'javascript:window.pwned=1' },
            { type: 2, style: 1, label: evil, custom_id: 'a' },
          ],
        },
      ],
      flags: 64,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      attachments: [],
      interaction_metadata: { type: 2, name: evil, user: { username: evil } },
    };
    // Given as text: vitest would rewrite an import() written in this file.
    await page.evaluate("import('/message.js').then((m) => { globalThis.renderMessage = m.renderMessage; })");
    await page.evaluate(
      ({ message, evil }) => {
        const page = globalThis as unknown as {
          renderMessage(...args: unknown[]): { id: string };
          document: { body: { append(node: unknown): void } };
        };
        const names = { user: () => evil, role: () => evil, channel: () => evil };
        const node = page.renderMessage({ message }, { names, click() {}, dismiss() {} }, { username: evil });
        node.id = 'hostile';
        page.document.body.append(node);
      },
      { message, evil },
    );
    const drawn = page.locator('#hostile');
    expect(await drawn.textContent()).toContain(evil);
    expect(await drawn.locator('img, script, iframe, svg').count()).toBe(0);
    const attributes = await drawn.evaluate((root) =>
      [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => `${a.name}=${a.value}`)),
    );
    expect(attributes.filter((a) => a.startsWith('on'))).toEqual([]);
    expect(attributes.filter((a) => a.startsWith('href='))).toEqual(['href=https://x.com/ok']);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => Reflect.get(globalThis, 'pwned'))).toBeUndefined();
  });

  it('answers only its own page: another Host, another site’s POST or a form body are refused', async () => {
    const target = new URL(url);
    const raw = (method: string, path: string, headers: Record<string, string>, body = '') =>
      new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: target.port, method, path, headers }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, headers: res.headers });
        });
        req.on('error', reject);
        req.end(body);
      });
    const json = { 'content-type': 'application/json' };
    // A rebound DNS name, or localhost (whose cookies are not the emulators').
    expect((await raw('GET', '/', { host: `evil.example:${target.port}` })).status).toBe(421);
    expect((await raw('GET', '/', { host: `localhost:${target.port}` })).status).toBe(421);
    const home = await raw('GET', '/', { host: target.host });
    expect(home.status).toBe(200);
    expect(home.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self';/);
    const post = (headers: Record<string, string>) =>
      raw(
        'POST',
        '/api/x-account',
        { host: target.host, ...headers },
        JSON.stringify({ username: 'locked_lena' }),
      );
    expect((await post({ ...json, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ 'content-type': 'text/plain', origin: target.origin })).status).toBe(403);
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(403);
  });

  it('asks nothing of any host but 127.0.0.1, in any of its tabs', () => {
    expect(elsewhere).toEqual([]);
  });

  it('stops on SIGTERM with exit code 0, its page closed and its temporary folder removed', async () => {
    stopGroup(playground, 'SIGTERM');
    await expect
      .poll(() =>
        fetch(url).then(
          () => 'open',
          () => 'closed',
        ),
      )
      .toBe('closed');
    await expect.poll(() => ownFolders(playground)).toEqual([]);
    // npm does not pass its child's exit code on when signalled: the entry itself, without npm.
    const direct = start(process.execPath, ['--import', 'tsx', 'playground/start.ts', '--port', '0']);
    const directUrl = await direct.url();
    expect(ownFolders(direct)).toHaveLength(1);
    process.kill(direct.child.pid ?? 0, 'SIGTERM');
    expect(await direct.exit).toEqual({ code: 0, signal: null });
    expect(ownFolders(direct)).toEqual([]);
    await expect(fetch(directUrl)).rejects.toThrow();
  }, 40_000);
});
