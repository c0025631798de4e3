/**
 * /help: every command listed from its definition, what Flock keeps and how to delete it, the
 * operator's contact, in the language of the person asking.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { textDisplays } from '../support/v2-message.js';

let bot: BotHarness | undefined;
afterEach(() => bot?.close());

async function help(env: Record<string, string> = {}, locale?: string) {
  bot = await startBot(env);
  const interaction = bot.discord.command('help', {}, locale ? { locale } : {});
  const message = await interaction.reply();
  // One private response, nothing in the channel.
  expect(interaction.callbacks.map((c) => c.type)).toEqual([4]);
  expect(message.flags & 64).toBe(64);
  expect(message.allowed_mentions).toEqual({ parse: [] });
  expect(bot.discord.messages(bot.discord.general.id)).toEqual([]);
  // Components V2: the emulator has refused anything past Discord's 4,000 characters or its bytes.
  expect(message.flags & 32768).toBe(32768);
  return textDisplays(message).join('\n');
}

type Localized = Partial<Record<string, string | null>> | null | undefined;
const inLocale = (text: string, map: Localized, locale: string) => map?.[locale] ?? text;

/** Each command's line as a reader in `locale` should see it: the names and words their Discord shows. */
function expectedLines(locale: string): string[] {
  return COMMANDS.flatMap(({ data }) => {
    const name = inLocale(data.name, data.name_localizations, locale);
    const subs = (data.options ?? []).filter((o) => o.type === 1);
    if (!subs.length)
      return [`- **/${name}**: ${inLocale(data.description, data.description_localizations, locale)}`];
    return subs.map(
      (o) =>
        `- **/${name} ${inLocale(o.name, o.name_localizations, locale)}**: ${inLocale(o.description, o.description_localizations, locale)}`,
    );
  });
}

describe('/help', () => {
  it('names every command and subcommand, and says what Flock keeps and how to delete it', async () => {
    const text = await help();
    for (const { data } of COMMANDS) {
      const subs = (data.options ?? []).filter((o) => o.type === 1).map((o) => `/${data.name} ${o.name}`);
      for (const name of subs.length ? subs : [`/${data.name}`]) expect(text).toContain(`**${name}**`);
    }
    for (const line of expectedLines('en-US')) expect(text).toContain(line);
    expect(text).toContain('/alerts add');
    expect(text).toContain('What Flock keeps about you');
    expect(text).toContain('encrypted');
    expect(text).toContain('- Once you `/link`: your X account');
    expect(text).toContain('`/unlink` revokes Flock’s access at X and deletes everything linked to you.');
    expect(text).toContain('for 7 days');
    expect(text).not.toContain('Questions about this bot');
  });

  it('gives the operator’s contact when OPERATOR_CONTACT is set', async () => {
    const text = await help({ OPERATOR_CONTACT: 'flock-admin@example.com', PAGING_EXPIRY_HOURS: '12' });
    expect(text).toContain('Questions about this bot: flock-admin@example.com');
    expect(text).toContain('for 12 hours');
  });

  it('speaks Spanish to a Spanish Discord, with the names the commands have there', async () => {
    const text = await help({ OPERATOR_CONTACT: 'Ana <ana@example.com>' }, 'es-ES');
    for (const line of expectedLines('es-ES')) expect(text).toContain(line);
    expect(text).toContain('- **/seguidores**: Explora los seguidores de una cuenta de X');
    expect(text).toContain('### Lo que Flock guarda sobre ti');
    expect(text).toContain('- Cuando usas `/vincular`: tu cuenta de X (id y @nombre)');
    expect(text).toContain('(durante 7 días)');
    expect(text).toContain('`/desvincular` revoca el acceso de Flock en X y borra todo lo vinculado a ti.');
    // The operator's contact exactly as configured.
    expect(text).toContain('Preguntas sobre este bot: Ana <ana@example.com>');
    for (const english of ['What Flock keeps', 'Once you', 'revokes', 'Questions about', 'for 7 days'])
      expect(text).not.toContain(english);
  });

  it('speaks Japanese to a Japanese Discord, hours too', async () => {
    const text = await help({ OPERATOR_CONTACT: 'flock-admin@example.com', PAGING_EXPIRY_HOURS: '12' }, 'ja');
    for (const line of expectedLines('ja')) expect(text).toContain(line);
    expect(text).toContain('- **/フォロワー**: X アカウントのフォロワーを新しい順に表示します');
    expect(text).toContain('### Flock が保存する情報');
    expect(text).toContain('- `/連携` を使うと、あなたの X アカウント');
    expect(text).toContain('ボタンが使えるように 12 時間保存します。');
    expect(text).toContain('`/連携解除` を使うと、X での Flock のアクセス権を取り消し');
    expect(text).toContain('このボットについてのお問い合わせ: flock-admin@example.com');
    for (const english of ['What Flock keeps', 'Once you', 'revokes', 'Questions about', 'hours'])
      expect(text).not.toContain(english);
    // Japanese takes 3 bytes a character: well inside a message's size either way.
    expect(Buffer.byteLength(text)).toBeLessThan(6000);
  });
});
