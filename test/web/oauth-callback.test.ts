/** The OAuth start and callback routes: every way a link can go wrong ends on a clear page with nothing stored. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';

let bot: BotHarness;
let alice: EmuUser;
beforeEach(async () => {
  bot = await startBot();
  alice = bot.x.world.addUser({ username: 'alice_x' });
});
afterEach(() => bot.close());

/** Runs /link and follows the start URL to X; returns X's consent URL. */
async function consentUrl(): Promise<string> {
  const reply = await bot.discord.command('link').reply();
  const res = await fetch(linkButtonUrl(reply), { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

async function visit(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  const html = await res.text();
  return { status: res.status, title: /<h1>([^<]*)<\/h1>/.exec(html)?.[1], headers: res.headers };
}

const nothingStored = async () =>
  expect(await bot.flock.services.linked.get(bot.discord.owner.id)).toBeUndefined();
const callback = (query: string) => `${bot.config.web.publicUrl}/oauth/callback?${query}`;

describe('the OAuth callback', () => {
  it('links on a good callback, and refuses the same state again', async () => {
    const redirect = bot.x.approve(await consentUrl(), alice.id);
    expect((await visit(redirect)).title).toBe('Linked as @alice_x');
    const link = await bot.flock.services.linked.get(bot.discord.owner.id);
    expect(link).toMatchObject({ xUserId: alice.id, username: 'alice_x' });
    expect(await visit(redirect)).toMatchObject({ status: 400, title: 'This link can&#39;t be used' });
  });

  it('refuses a replayed state with nothing stored', async () => {
    const consent = await consentUrl();
    const state = new URL(consent).searchParams.get('state') ?? '';
    const denied = bot.x.deny(consent);
    expect((await visit(denied)).title).toBe('Linking cancelled');
    // The state was used up by the denial: a code for it now is refused.
    expect(await visit(callback(`code=anything&state=${encodeURIComponent(state)}`))).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
    await nothingStored();
  });

  it('refuses an expired state', async () => {
    const consent = await consentUrl();
    bot.clock.advance(10 * 60_000 + 1);
    expect(await visit(bot.x.approve(consent, alice.id))).toMatchObject({
      status: 400,
      title: 'This link has expired',
    });
    await nothingStored();
  });

  it('refuses a tampered state', async () => {
    const redirect = new URL(bot.x.approve(await consentUrl(), alice.id));
    const state = redirect.searchParams.get('state') ?? '';
    redirect.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    expect(await visit(redirect.toString())).toMatchObject({
      status: 400,
      title: 'This link can&#39;t be used',
    });
    await nothingStored();
  });

  it('refuses a callback missing its parameters', async () => {
    for (const query of ['', 'code=abc', 'state=abc', 'error=']) {
      expect(await visit(callback(query))).toMatchObject({ status: 400, title: 'This link is incomplete' });
    }
    await nothingStored();
  });

  it('refuses an expired code (X’s 30 seconds)', async () => {
    const redirect = bot.x.approve(await consentUrl(), alice.id);
    bot.clock.advance(31_000);
    expect(await visit(redirect)).toMatchObject({ status: 400, title: 'X didn&#39;t accept the sign-in' });
    await nothingStored();
  });

  it('says X is not answering when the token exchange fails, with nothing stored', async () => {
    const redirect = bot.x.approve(await consentUrl(), alice.id);
    bot.x.faults.add({ match: '/2/oauth2/token', status: 503 });
    expect(await visit(redirect)).toMatchObject({ status: 503, title: 'X is not answering' });
    await nothingStored();
  });

  it('refuses an expired or unknown start link', async () => {
    const reply = await bot.discord.command('link').reply();
    bot.clock.advance(10 * 60_000 + 1);
    expect(await visit(linkButtonUrl(reply))).toMatchObject({ status: 400, title: 'This link has expired' });
    expect(await visit(`${bot.config.web.publicUrl}/oauth/start/AAAAAAAAAAAAAAAAAAAAAA`)).toMatchObject({
      status: 400,
    });
  });
});

describe('the web server', () => {
  it('sends strict headers on every page, and answers nothing else', async () => {
    const page = await visit(callback(''));
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; img-src 'none'; form-action 'none'; frame-ancestors 'none'/,
    );
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect((await visit(`${bot.config.web.publicUrl}/`)).status).toBe(404);
    expect((await visit(`${bot.config.web.publicUrl}/oauth/start/../../etc/passwd`)).status).toBe(404);
    const post = await fetch(callback('code=a&state=b'), { method: 'POST', body: 'x'.repeat(10_000) });
    expect(post.status).toBe(405);
    expect((await visit(callback(`state=${'a'.repeat(5000)}`))).status).toBe(414);
  });

  it('redirects only to the configured consent page, whatever the request says', async () => {
    const reply = await bot.discord.command('link').reply();
    const res = await fetch(`${linkButtonUrl(reply)}?redirect_uri=https://evil.example/`, {
      redirect: 'manual',
    });
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(bot.x.authorizeUrl);
    expect(location.searchParams.get('redirect_uri')).toBe(`${bot.config.web.publicUrl}/oauth/callback`);
  });
});
