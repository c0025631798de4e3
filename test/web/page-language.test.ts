/**
 * The language of a page that belongs to no /link attempt: the browser's Accept-Language, best
 * match by q-value among English, Spanish and Japanese, else English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { browserLocale } from '../../src/web/accept-language.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { WebClient } from '../support/web-client.js';

describe('the browser’s language', () => {
  it.each([
    [undefined, 'en-US'],
    ['', 'en-US'],
    ['es-MX,es;q=0.9,en;q=0.8', 'es-ES'],
    ['ja-JP', 'ja'],
    ['fr-FR, de;q=0.9', 'en-US'],
    ['fr, ja;q=0.5', 'ja'],
    ['en;q=0.5, ja', 'ja'],
    ['ja;q=0.4, es;q=0.6, en;q=0.1', 'es-ES'],
    ['es;q=0, ja;q=0.2', 'ja'],
    ['*;q=0.8, ja;q=0.3', 'en-US'],
    ['JA ; Q=1, en', 'ja'],
  ])('%j → %s', (header, locale) => {
    expect(browserLocale(header)).toBe(locale);
  });
});

describe('pages without an attempt', () => {
  let bot: BotHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('answers an unknown address in the browser’s language', async () => {
    bot = await startBot();
    const browser = new WebClient();
    const visit = (language?: string) =>
      browser.visit(`${bot?.config.web.publicUrl}/nowhere`, {
        headers: language ? { 'accept-language': language } : {},
      });
    const japanese = await visit('ja-JP,ja;q=0.9,en-US;q=0.8');
    expect(japanese).toMatchObject({ status: 404, title: 'ページが見つかりません' });
    expect(japanese.html).toContain('<html lang="ja">');
    expect(japanese.headers.get('content-language')).toBe('ja');
    expect(japanese.headers.get('vary')).toBe('Accept-Language');
    expect((await visit('fr, es;q=0.5')).title).toBe('Aquí no hay nada');
    expect((await visit()).title).toBe('Nothing here');
  });

  it('ends a Linked Roles sign-in (Discord’s menu, no /link) in the browser’s language', async () => {
    bot = await startBot();
    const alice = bot.x.world.addUser({ username: 'alice_x' });
    await bot.link(bot.discord.owner, alice.id);
    const headers = { 'accept-language': 'es-419,es;q=0.9' };
    const browser = new WebClient();
    const entry = await browser.visit(`${bot.config.web.publicUrl}/linked-roles`, { headers });
    const page = await browser.visit(bot.discord.approve(entry.location ?? '', bot.discord.owner), {
      headers,
    });
    expect(page).toMatchObject({ status: 200, title: 'Roles vinculados actualizados' });
    expect(page.html).toContain(
      'Los servidores que usan los Roles vinculados de Flock ya ven tu cuenta de X @alice_x.',
    );
  });

  it('links someone who came from Discord’s Linked Roles menu in the browser’s language', async () => {
    bot = await startBot();
    const alice = bot.x.world.addUser({ username: 'alice_x' });
    const headers = { 'accept-language': 'ja' };
    const browser = new WebClient();
    const entry = await browser.visit(`${bot.config.web.publicUrl}/linked-roles`, { headers });
    const toX = await browser.visit(bot.discord.approve(entry.location ?? '', bot.discord.owner), {
      headers,
    });
    const page = await browser.visit(bot.x.approve(toX.location ?? '', alice.id), { headers });
    expect(page.title).toBe('@alice_x として連携しました');
  });
});
