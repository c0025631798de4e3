/**
 * Linking and following in the user's own language: the replies of /link, /unlink, /follow and
 * /unfollow follow the interaction's locale, the /link reply's later edits and pages follow the
 * locale /link was run in, and an attempt stored before locales were kept still ends in English.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../emulators/discord/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness;
let alice: EmuUser;
beforeEach(async () => {
  bot = await startBot();
  alice = bot.x.world.addUser({ username: 'alice_x' });
  bot.x.world.addUser({ username: 'star' });
});
afterEach(() => bot.close());

const SPANISH: Actor = { locale: 'es-ES' };
const JAPANESE: Actor = { locale: 'ja' };

/** A command's ephemeral answer: its text and its buttons' labels. */
async function answer(name: string, options: Record<string, string>, actor: Actor) {
  const reply = await bot.discord.command(name, options, actor).reply((m) => m.content !== '');
  expect(reply.flags & 64).toBe(64);
  const labels = reply.components.flatMap((row) =>
    (row.components as { label: string }[]).map((button) => button.label),
  );
  return { content: shown(reply.content), labels, reply };
}

/** Walks a /link button through both consent pages in `browser`; returns the last page. */
async function finish(browser: WebClient, url: string, headers: Record<string, string> = {}) {
  const toDiscord = await browser.visit(url, { headers });
  const toX = await browser.visit(bot.discord.approve(toDiscord.location ?? '', bot.discord.owner), {
    headers,
  });
  return browser.visit(bot.x.approve(toX.location ?? '', alice.id), { headers });
}

describe('/link in the user’s language', () => {
  it('offers the connect button in Spanish, and edits the reply in Spanish once linked', async () => {
    const interaction = bot.discord.command('link', {}, SPANISH);
    const reply = await interaction.reply();
    expect(reply.content).toMatch(/^Conecta tu cuenta de X para seguir y dejar de seguir desde Discord\./);
    expect(reply.components).toEqual([
      expect.objectContaining({ components: [expect.objectContaining({ label: 'Conectar cuenta de X' })] }),
    ]);
    // The browser asks for Japanese, but the page belongs to the Spanish /link.
    const page = await finish(new WebClient(), linkButtonUrl(reply), { 'accept-language': 'ja-JP,ja' });
    expect(page.title).toBe('Cuenta vinculada como @alice_x');
    expect(page.html).toContain('<html lang="es">');
    const edited = await interaction.reply((m) => m.content.startsWith('Cuenta vinculada'));
    expect(shown(edited.content)).toBe(
      'Cuenta vinculada como **@alice\\_x**. Ya puedes usar `/follow` y `/unfollow`.',
    );
  });

  it('shows the current link with Japanese buttons, and unlinks in Japanese', async () => {
    await bot.link(bot.discord.owner, alice.id);
    expect(await answer('link', {}, JAPANESE)).toMatchObject({
      content:
        'あなたの Discord アカウントは X の **@alice\\_x** と連携しています。`/follow` と `/unfollow` はこのアカウントとして動作します。',
      labels: ['連携し直す', '連携を解除'],
    });
    expect((await answer('unlink', {}, JAPANESE)).content).toMatch(
      /^\*\*@alice\\_x\*\* の連携を解除しました。/,
    );
    expect((await answer('unlink', {}, JAPANESE)).content).toBe('連携している X アカウントはありません。');
  });

  it('tells the owner in their language, and the other Discord user in theirs, when someone else opens the link', async () => {
    const interaction = bot.discord.command('link', {}, SPANISH);
    const url = linkButtonUrl(await interaction.reply());
    const b = bot.discord.addUser('b');
    const browser = new WebClient();
    const headers = { 'accept-language': 'ja' };
    const toDiscord = await browser.visit(url, { headers });
    const page = await browser.visit(bot.discord.approve(toDiscord.location ?? '', b), { headers });
    expect(page).toMatchObject({ status: 403, title: 'このリンクは別の人のものです' });
    const edited = await interaction.reply((m) => m.content.startsWith('Otra persona'));
    expect(shown(edited.content)).toContain('Vuelve a usar `/link`');
  });

  it('finishes an attempt stored without a locale (before locales were kept) in English', async () => {
    const interaction = bot.discord.command('link', {}, SPANISH);
    const url = linkButtonUrl(await interaction.reply());
    // The record as an older Flock wrote it: everything but the locale.
    const attempts = bot.flock.services.store.namespace<Record<string, unknown>>('link-attempts');
    const stored: [string, Record<string, unknown>][] = [];
    for await (const [key, value] of attempts.iterator?.(undefined) ?? [])
      stored.push([String(key), value as Record<string, unknown>]);
    expect(stored).toHaveLength(1);
    for (const [key, { locale, ...older }] of stored) {
      expect(locale).toBe('es-ES');
      await attempts.set(key, older, 10 * 60_000);
    }
    const page = await finish(new WebClient(), url, { 'accept-language': 'es' });
    expect(page.title).toBe('Linked as @alice_x');
    expect(page.html).toContain('<html lang="en">');
    const edited = await interaction.reply((m) => m.content.startsWith('Linked as'));
    expect(shown(edited.content)).toBe(
      'Linked as **@alice\\_x**. You can now use `/follow` and `/unfollow`.',
    );
  });
});

describe('/follow and /unfollow in the user’s language', () => {
  it('refuses in Spanish before a link, and refuses following yourself', async () => {
    expect((await answer('follow', { user: 'star' }, SPANISH)).content).toBe(
      'Primero vincula tu cuenta de X con `/link`.',
    );
    await bot.link(bot.discord.owner, alice.id);
    expect((await answer('follow', { user: '@alice_x' }, SPANISH)).content).toBe(
      'No puedes seguir tu propia cuenta.',
    );
    expect((await answer('unfollow', { user: 'alice_x' }, JAPANESE)).content).toBe(
      '自分自身のフォローは解除できません。',
    );
  });

  it('answers in Spanish, with a Spanish button where the X plan refuses following', async () => {
    await bot.link(bot.discord.owner, alice.id);
    expect((await answer('follow', { user: 'star' }, SPANISH)).content).toBe(
      'Ahora sigues a **@star** en X.',
    );
    expect((await answer('unfollow', { user: 'star' }, SPANISH)).content).toBe(
      'Ya no sigues a **@star** en X.',
    );
    bot.x.removeFollowEndpoints();
    expect(await answer('follow', { user: 'star' }, SPANISH)).toMatchObject({
      content:
        'No puedo seguir cuentas por ti: el plan de X de este bot no incluye seguir cuentas. Puedes seguir a **@star** directamente en X.',
      labels: ['Seguir en X'],
    });
    expect((await answer('follow', { user: 'star' }, JAPANESE)).labels).toEqual(['X でフォロー']);
  });
});

describe('Linked Roles metadata', () => {
  it('is declared with Spanish and Japanese names and descriptions', () => {
    const followers = bot.discord.roleConnectionMetadata.find((m) => m.key === 'x_followers');
    expect(followers).toMatchObject({
      name: 'X followers',
      name_localizations: { 'es-ES': 'Seguidores en X', 'es-419': 'Seguidores en X', ja: 'X のフォロワー数' },
      description_localizations: { 'es-ES': 'Seguidores en X, como mínimo', ja: 'X のフォロワー数（以上）' },
    });
  });
});
