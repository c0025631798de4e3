/**
 * Alerts speak the server's language (as the gateway says it, and as it changes); /alerts answers
 * in the language of whoever asks; reasons are stored as codes and said in the reader's language,
 * while a reason an older version stored in English is still shown as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountState } from '../../src/alerts/account-state.js';
import type { Subscription } from '../../src/alerts/subscriptions.js';
import type { Message } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { shown } from '../support/discord-markdown.js';
import { entryTitles, textDisplays } from '../support/v2-message.js';

let bot: BotHarness;
let star: EmuUser;
beforeEach(async () => {
  bot = await startBot({ ALERTS_SOURCE: 'poll' });
  star = bot.x.world.addUser({ username: 'star', name: 'Star' });
  for (const fan of bot.x.world.addUsers(3, 'old'))
    bot.x.world.follow(fan.id, star.id, bot.clock.now() - 100_000);
});
afterEach(() => bot.close());

const tick = () => bot.flock.services.alerts.schedule.tick();
async function poll() {
  bot.clock.advance(10 * 60_000);
  await tick();
}
const posted = (): Message[] => bot.discord.messages(bot.discord.alerts.id);

/** The server's language as its settings say before the bot connects: GUILD_CREATE carries it. */
async function serverSpeaks(locale: string) {
  bot.discord.guild.preferredLocale = locale;
  await bot.restart();
}

async function add(locale = 'en-US', events = 'new'): Promise<string> {
  const reply = await bot.discord
    .command('alerts', { account: '@star', channel: bot.discord.alerts.id, events }, { locale }, 'add')
    .reply();
  return reply.content;
}

const list = async (locale: string) =>
  shown((await bot.discord.command('alerts', {}, { locale }, 'list').reply()).content);

/** A new follower of star who has `followers` followers of their own. */
function popularFan(username: string, crowd: EmuUser[]): EmuUser {
  const fan = bot.x.world.addUser({ username, name: username });
  for (const c of crowd) bot.x.world.follow(c.id, fan.id, bot.clock.now() - 200_000);
  bot.clock.advance(1000);
  bot.x.world.follow(fan.id, star.id);
  return fan;
}

describe('alerts in the server’s language', () => {
  it('posts in Spanish for a server in es-ES, then in Japanese once the server switches, counts formatted for each', async () => {
    await serverSpeaks('es-ES');
    // The admin's own client is in English: the reply is theirs, the alerts the server's.
    expect(await add('en-US')).toMatch(/^Added alerts for \*\*@star\*\*/);
    const [subscription] = await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id);
    expect(subscription?.locale).toBe('es-ES');
    await tick();
    const crowd = bot.x.world.addUsers(12_345, 'crowd');

    popularFan('popular', crowd);
    await poll();
    const [spanish] = posted();
    if (!spanish) throw new Error('no alert');
    expect(textDisplays(spanish)[0]).toBe('**@star** tiene 1 seguidor nuevo.');
    expect(entryTitles(spanish)).toEqual(['Nuevo seguidor: popular']);
    expect(textDisplays(spanish)[1]).toMatch(
      /\[@popular\]\(https:\/\/x\.com\/popular\) · 12,3\smil seguidores$/,
    );

    bot.discord.setGuildLocale(bot.discord.guild, 'ja');
    await expect
      .poll(() => bot.flock.client.guilds.cache.get(bot.discord.guild.id)?.preferredLocale)
      .toBe('ja');
    popularFan('famous', crowd);
    bot.clock.advance(1000);
    bot.x.world.follow(bot.x.world.addUser({ username: 'quiet' }).id, star.id);
    await poll();
    const japanese = posted()[1];
    if (!japanese) throw new Error('no second alert');
    expect(textDisplays(japanese)[0]).toBe('**@star** に新しいフォロワーが 2 人います。');
    expect(entryTitles(japanese)).toEqual(['新しいフォロワー：quiet', '新しいフォロワー：famous']);
    expect(textDisplays(japanese)[2]).toContain('[@famous](https://x.com/famous) · フォロワー 1.2万 人');
    expect(textDisplays(japanese)[1]).toContain('[@quiet](https://x.com/quiet) · フォロワー 0 人');
    // Interactions now carry the new language too: an alert set up again records it.
    await add('en-US');
    const [again] = await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id);
    expect(again?.locale).toBe('ja');
  });

  it('answers /alerts in the language of whoever asks, which may not be the server’s', async () => {
    await serverSpeaks('es-ES');
    expect(await add('ja', 'both')).toBe(
      `<#${bot.discord.alerts.id}> に **@star** の通知を追加しました：新しいフォロワーと離れたフォロワー。最初のチェックでは現在のリストを記録し、通知は次のチェックから始まります。`,
    );
    const japanese = await list('ja');
    expect(japanese).toContain(`**@star** → <#${bot.discord.alerts.id}>: 新しいフォロワーと離れたフォロワー`);
    expect(japanese).toContain('定期取得（ALERTS_SOURCE が poll です）：前回のチェックはまだ、次回はまだ');
    expect(japanese).toContain('このサーバーの通知による今日の X 利用額（推定）：$0.00。');
    const spanish = await list('es-419');
    expect(spanish).toContain(`**@star** → <#${bot.discord.alerts.id}>: seguidores nuevos y perdidos`);
    expect(spanish).toMatch(/Gasto estimado de hoy en X por las alertas de este servidor: USD\s0\.00\./);
    expect(await list('en-US')).toContain('polled (ALERTS_SOURCE is poll): last check not yet, next not yet');
    const removed = await bot.discord
      .command('alerts', { account: 'star' }, { locale: 'es-ES' }, 'remove')
      .reply();
    expect(removed.content).toBe(`Se ha detenido 1 alerta para @star (<#${bot.discord.alerts.id}>).`);
  });

  it('refuses in the language of whoever asks', async () => {
    const managed = bot.discord.guild.addRole('Some Bot', 0n, true, { managed: true });
    const reply = await bot.discord
      .command(
        'alerts',
        { account: '@star', channel: bot.discord.alerts.id, role: managed.id },
        { locale: 'ja' },
        'add',
      )
      .reply();
    expect(reply.content).toBe(
      `<@&${managed.id}> はボットまたは連携サービスのロールなので、通知でメンションできません。別のロールを選んでください。`,
    );
  });
});

describe('reasons, stored as codes', () => {
  it('says why a subscription is paused in each reader’s language, and tells the server in its own', async () => {
    await serverSpeaks('es-ES');
    await add();
    await tick();
    bot.discord.alerts.permission_overwrites.push({
      id: bot.discord.guild.id,
      type: 0,
      allow: '0',
      deny: String(1n << 11n),
    });
    bot.x.world.follow(bot.x.world.addUser({ username: 'blocked' }).id, star.id);
    await poll();
    const [subscription] = await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id);
    expect(subscription?.paused?.reason).toEqual({ code: 'channel-closed' });
    expect(shown(bot.discord.messages(bot.discord.general.id).at(-1)?.content ?? '')).toBe(
      `Las alertas de seguidores de @star en <#${bot.discord.alerts.id}> están en pausa: Flock no puede publicar allí (revisa Ver canal, Enviar mensajes e Insertar enlaces). Vuelve a usar \`/alerts add\` para reanudarlas.`,
    );
    expect(await list('es-ES')).toContain(
      '**en pausa**: Flock no puede publicar allí (revisa Ver canal, Enviar mensajes e Insertar enlaces). `/alerts add` la reanuda',
    );
    expect(await list('ja')).toContain(
      '**一時停止中**：Flock がそこに投稿できません（「チャンネルを見る」「メッセージを送信」「埋め込みリンク」を確認してください）。`/alerts add` で再開できます',
    );
    expect(await list('en-GB')).toContain('**paused**: Flock may not post there');
  });

  it('says an account X cannot show is paused, naming it, in each reader’s language', async () => {
    await add();
    await tick();
    star.state = 'suspended';
    await poll();
    expect(await list('es-ES')).toContain('**en pausa**: @star está suspendida en X.');
    expect(await list('ja')).toContain('**一時停止中**：@star は X で凍結されています。');
  });

  it('shows reasons an older version stored in English as they were written', async () => {
    await add();
    await tick();
    const [subscription] = await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id);
    if (!subscription) throw new Error('no subscription');
    // As an older version wrote them: sentences, and a subscription without a locale.
    const { locale: _, ...older } = subscription;
    await bot.flock.services.store
      .namespace<Subscription>('alert-subscription')
      .set(`${star.id}:${bot.discord.alerts.id}`, {
        ...older,
        paused: { reason: 'the channel was deleted', at: 1 },
      });
    expect(await list('ja')).toContain(
      '**一時停止中**：the channel was deleted。`/alerts add` で再開できます',
    );

    await bot.flock.services.alerts.subscriptions.add(subscription, 25);
    const state = await bot.flock.services.alerts.states.get(star.id);
    if (!state) throw new Error('no account state');
    await bot.flock.services.store.namespace<AccountState>('alert-accounts').set(star.id, {
      ...state,
      waiting: { reason: 'waiting for X’s rate limit', until: bot.clock.now() + 60_000 },
    });
    expect(await list('es-ES')).toMatch(/próxima <t:\d+:R> \(waiting for X’s rate limit\)/);
  });
});
