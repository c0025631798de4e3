/**
 * Lists and profile cards in the reader's language: the owner's for a list (only they turn its
 * pages), the clicker's for a refusal, with counts grouped and abbreviated the way that locale
 * writes them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import {
  allComponents,
  buttonId,
  buttons,
  listedNames as names,
  pageLine,
  textDisplays,
  v2Text,
} from '../support/v2-message.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

const V2 = 1 << 15;
const labels = (message: Message) => buttons(message).map((b) => b.label);
/** Each entry's second line: its @username link and follower count. */
const counts = (message: Message) =>
  textDisplays(message)
    .slice(1)
    .map((text) => text.split('\n')[1]);

/**
 * @star, followed by a crowd of 12,344, then by @mid (itself followed by 1,234 of the crowd) and
 * last by @big (followed by the whole crowd). The crowd's newest member has one follower.
 */
function seedCrowd(): void {
  const world = bot.x.world;
  const star = world.addUser({ username: 'star', name: 'Estrella' });
  const big = world.addUser({ username: 'big', name: 'Big' });
  const mid = world.addUser({ username: 'mid', name: 'Mid' });
  const crowd = world.addUsers(12_344, 'c');
  const start = bot.clock.now() - 100_000;
  for (const [n, fan] of crowd.entries()) {
    world.follow(fan.id, star.id, start + n);
    world.follow(fan.id, big.id, start + n);
    if (n < 1234) world.follow(fan.id, mid.id, start + n);
  }
  world.follow(big.id, crowd[crowd.length - 1]?.id ?? '', start + 20_000);
  world.follow(mid.id, star.id, start + 20_001);
  world.follow(big.id, star.id, start + 20_002);
}

describe('a list in Spanish', () => {
  it('says its heading, counts and buttons in Spanish, with Spanish grouping, and pages on in Spanish', async () => {
    seedCrowd();
    const first = await bot.discord.command('followers', { user: '@star' }, { locale: 'es-ES' }).reply();
    expect(first.flags & V2).toBe(V2);
    expect(textDisplays(first)[0]).toBe(
      '**Seguidores de Estrella** ([@star](https://x.com/star/followers))\nPágina 1 · 12.346 seguidores',
    );
    expect(counts(first).slice(0, 4)).toEqual([
      // Intl keeps "12,3 mil" on one line with a no-break space.
      '[@big](https://x.com/big) · 12,3\u00a0mil seguidores',
      // Spanish groups from five digits (RAE, CLDR): 1234, but 12.346.
      '[@mid](https://x.com/mid) · 1234 seguidores',
      '[@c12343](https://x.com/c12343) · 1 seguidor',
      '[@c12342](https://x.com/c12342) · 0 seguidores',
    ]);
    expect(labels(first)).toEqual(['Primera', 'Anterior', 'Página 1', 'Siguiente']);

    const second = await bot.discord
      .click(first, buttonId(first, 'Siguiente'), { locale: 'es-ES' })
      .reply((m) => names(m)[0] === 'c12335');
    expect(pageLine(second)).toBe('Página 2 · 12.346 seguidores');
    expect(labels(second)).toEqual(['Primera', 'Anterior', 'Página 2', 'Siguiente']);
    expect(buttons(second).map((b) => b.disabled)).toEqual([false, false, true, false]);
  });

  it('names an empty list, and its one page of one, in Spanish', async () => {
    bot.x.world.addUser({ username: 'loner' });
    const empty = await bot.discord.command('following', { user: 'loner' }, { locale: 'es-419' }).reply();
    const [heading = '', line = ''] = textDisplays(empty);
    expect(heading).toBe(
      '**Cuentas que sigue loner** ([@loner](https://x.com/loner/following))\nPágina 1 de 1 · 0 siguiendo',
    );
    expect(line).toBe('@loner no sigue a ninguna cuenta que X muestre.');
  });
});

describe('one cached page read in several languages', () => {
  it("shows each reader the page in their own words, one after the other, from one read of X's page", async () => {
    seedCrowd();
    const open = (locale: string) => bot.discord.command('followers', { user: 'star' }, { locale }).reply();
    // Flock renders a cached page's accounts once per language: each must still be its own.
    const [es, ja, en, esAgain] = [
      await open('es-ES'),
      await open('ja'),
      await open('en-US'),
      await open('es-ES'),
    ];
    expect(textDisplays(es)[0]).toBe(
      '**Seguidores de Estrella** ([@star](https://x.com/star/followers))\nPágina 1 · 12.346 seguidores',
    );
    expect(textDisplays(ja)[0]).toBe(
      '**Estrella のフォロワー** ([@star](https://x.com/star/followers))\n1 ページ · 12,346 フォロワー',
    );
    expect(counts(es)[0]).toBe('[@big](https://x.com/big) · 12,3\u00a0mil seguidores');
    expect(counts(ja)[0]).toBe('[@big](https://x.com/big) · 1.2万 フォロワー');
    expect(counts(en)[0]).toBe('[@big](https://x.com/big) · 12.3K followers');
    expect(v2Text(esAgain)).toBe(v2Text(es));
    expect(bot.x.requests(/followers/)).toHaveLength(1);
  });
});

describe('a list in Japanese', () => {
  it('says its heading, counts and buttons in Japanese, with compact counts in 万', async () => {
    seedCrowd();
    const first = await bot.discord.command('followers', { user: 'star' }, { locale: 'ja' }).reply();
    expect(textDisplays(first)[0]).toBe(
      '**Estrella のフォロワー** ([@star](https://x.com/star/followers))\n1 ページ · 12,346 フォロワー',
    );
    expect(counts(first).slice(0, 4)).toEqual([
      '[@big](https://x.com/big) · 1.2万 フォロワー',
      '[@mid](https://x.com/mid) · 1,234 フォロワー',
      '[@c12343](https://x.com/c12343) · 1 フォロワー',
      '[@c12342](https://x.com/c12342) · 0 フォロワー',
    ]);
    expect(labels(first)).toEqual(['最初', '前へ', '1 ページ', '次へ']);

    let message = first;
    for (const top of ['c12335', 'c12325', 'c12315'])
      message = await bot.discord
        .click(message, buttonId(message, '次へ'), { locale: 'ja' })
        .reply((m) => names(m)[0] === top);
    expect(pageLine(message)).toBe('4 ページ · 12,346 フォロワー');
    expect(labels(message)).toEqual(['最初', '前へ', '4 ページ', '次へ', 'ページへ移動']);

    const ask = bot.discord.click(message, buttonId(message, 'ページへ移動'), { locale: 'ja' });
    await ask.acknowledgement();
    const form = ask.modal as {
      custom_id: string;
      title: string;
      components: { components: { label: string }[] }[];
    };
    expect(form.title).toBe('ページへ移動');
    expect(form.components[0]?.components[0]?.label).toBe('ページ（1〜5）');
    const refused = await bot.discord
      .submitModal(form.custom_id, { page: '9' }, { locale: 'ja' }, message)
      .reply();
    expect(refused.flags & 64).toBe(64);
    expect(refused.content).toBe(
      '9 ページはここからは開けません。1〜5 のページを選んでください。X はリストを 1 ページずつ渡すので、「次へ」でさらに先へ進めます。',
    );
  });

  it("refuses a stranger in the stranger's language, and tells the owner of an expired list in theirs", async () => {
    seedCrowd();
    const first = await bot.discord.command('followers', { user: 'star' }, { locale: 'ja' }).reply();
    const stranger = bot.discord.addUser('stranger');
    const note = await bot.discord
      .click(first, buttonId(first, '次へ'), { user: stranger, locale: 'es-ES' })
      .reply();
    expect(note.flags & 64).toBe(64);
    expect(note.content).toMatch(
      /^Solo <@\d+> puede pasar estas páginas\. Usa `\/seguidores` para ver esta lista por tu cuenta\.$/,
    );

    bot.clock.advance(bot.config.paging.expiryMs + 1);
    const expired = await bot.discord
      .click(first, buttonId(first, '次へ'), { locale: 'ja' })
      .reply((m) => v2Text(m).includes('期限切れ'));
    expect(textDisplays(expired).at(-1)).toBe(
      '-# これらのボタンは期限切れです。もう一度コマンドを実行すると、このリストを見られます。',
    );
    expect(buttons(expired).every((b) => b.disabled)).toBe(true);
  });
});

describe('a full page in Japanese', () => {
  it("fits ten accounts with X's longest names and handles inside Discord's V2 limits", async () => {
    const world = bot.x.world;
    // X allows 50 characters in a display name and 15 in a username.
    const star = world.addUser({ username: 'a'.repeat(15), name: '星'.repeat(50) });
    const crowd = world.addUsers(12_345, 'c');
    for (let n = 0; n < 10; n++) {
      const fan = world.addUser({
        username: `fan${n}_${'x'.repeat(10)}`,
        name: '長い名前の日本語アカウント'.repeat(4).slice(0, 50),
        verified: true,
        protected: true,
      });
      for (const follower of crowd) world.follow(follower.id, fan.id);
      world.follow(fan.id, star.id, bot.clock.now() - 1000 + n);
    }
    const command = bot.discord.command('followers', { user: star.id }, { locale: 'ja' });
    const page = await command.reply();
    expect(textDisplays(page)).toHaveLength(11);
    expect(allComponents(page).filter((c) => c.type === 9)).toHaveLength(10);
    expect(allComponents(page).length).toBeLessThanOrEqual(40);
    expect(counts(page).every((line) => line?.endsWith(' · 1.2万 フォロワー'))).toBe(true);
    const text = v2Text(page);
    expect(text.length).toBeLessThanOrEqual(4000);
    // Discord's undocumented 500 comes past ~10,170 bytes: a page keeps well under half of it.
    expect(Buffer.byteLength(text, 'utf8') + 12 * textDisplays(page).length).toBeLessThan(5000);
    // Discord (the emulator, refusing what Discord refuses) took the page as it was sent.
    expect(command.callbacks.map((c) => c.status)).toEqual([204]);
    expect(bot.discord.rest.filter((r) => r.status >= 400)).toEqual([]);
  });
});

describe('a profile card in Japanese', () => {
  it('labels its counts, dates and buttons in Japanese; its list opens in the clicker’s language', async () => {
    const world = bot.x.world;
    const jack = world.addUser({
      username: 'jack',
      name: 'jack',
      verified: true,
      tweetCount: 29_000,
      location: 'California',
      createdAt: Date.parse('2006-03-21T20:50:14Z'),
    });
    for (const fan of world.addUsers(3, 'fan')) world.follow(fan.id, jack.id);
    const card = await bot.discord.command('lookup', { user: 'jack' }, { locale: 'ja' }).reply();
    expect(textDisplays(card)[1]).toBe(
      [
        '**3** フォロワー · **0** フォロー中 · **29,000** ポスト',
        '<t:1142974214:D>から X を利用しています · 📍 California',
        '☑️ 認証済み',
        `X アカウント ID ${jack.id}`,
      ].join('\n'),
    );
    expect(buttons(card).map((b) => [b.label, b.url])).toEqual([
      ['フォロワー', undefined],
      ['フォロー中', undefined],
      ['X で開く', 'https://x.com/jack'],
      ['X でフォロー', 'https://x.com/intent/follow?screen_name=jack'],
    ]);

    const friend = bot.discord.addUser('amiga');
    const list = await bot.discord
      .click(card, buttonId(card, 'フォロワー'), { user: friend, locale: 'es-ES' })
      .reply();
    expect(textDisplays(list)[0]).toBe(
      '**Seguidores de jack** ([@jack](https://x.com/jack/followers))\nPágina 1 de 1 · 3 seguidores',
    );
  });

  it('marks a protected account and its closed lists in Japanese, inside the V2 limits in bytes', async () => {
    bot.x.world.addUser({
      username: 'locked',
      name: '日本語の名前'.repeat(50),
      description: 'あ'.repeat(1000),
      location: '東京'.repeat(200),
      verified: true,
      protected: true,
    });
    const command = bot.discord.command('lookup', { user: 'locked' }, { locale: 'ja' });
    const card = await command.reply();
    expect(textDisplays(card)[1]).toContain('🔒 非公開: 承認されたフォロワーだけがリストを見られます');
    expect(labels(card).slice(0, 2)).toEqual(['フォロワー（非公開）', 'フォロー中（非公開）']);
    const text = v2Text(card);
    expect(Buffer.byteLength(text, 'utf8') + 12 * textDisplays(card).length).toBeLessThan(6000);
    expect(command.callbacks.map((c) => c.status)).toEqual([204]);
  });
});
