/**
 * Scopes: a link asks X for blocks and mutes too and keeps what X granted; a link made before
 * that is asked to relink, privately, only by the commands that need the new scopes; and a token
 * X refuses for them is answered the same way.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Link } from '../../src/accounts/links.js';
import { LINK_SCOPES } from '../../src/x/index.js';
import type { Message } from '../emulators/discord/interactions.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, linkButtonUrl, startBot } from '../support/bot-harness.js';
import { buttonId } from '../support/v2-message.js';
import { WebClient } from '../support/web-client.js';

let bot: BotHarness;
let me: EmuUser;

beforeEach(async () => {
  bot = await startBot();
  me = bot.x.world.addUser({ username: 'me_on_x' });
  bot.x.world.addUser({ username: 'star' });
  expect(await bot.link(bot.discord.owner, me.id)).toContain('Linked as @me_on_x');
});
afterEach(() => bot.close());

const links = () => bot.flock.services.linked.links;
const stored = async (): Promise<Link> => {
  const link = await links().get(bot.discord.owner.id);
  if (!link) throw new Error('not linked');
  return link;
};

/**
 * Replaces the link's grant with one X made for `granted`, recorded in the link as `recorded`
 * (a link made before Flock kept scopes, or before it asked for blocks and mutes).
 */
async function regrant(granted: readonly string[], recorded: string[]): Promise<void> {
  const tokens = bot.x.auth.mintTokens(me.id, DEFAULT_CLIENT_ID, [...granted]);
  await links().save({
    ...(await stored()),
    tokens: {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: bot.clock.now() + tokens.expires_in * 1000,
      scopes: recorded,
    },
  });
}

function relinkButton(message: Message) {
  return message.components.flatMap((row) => row.components as { label: string; custom_id?: string }[]);
}

const PROMPT = {
  blocks:
    "X hasn't given your link permission to read your blocks (links made before Flock showed them lack it). Press **Relink** to link again and approve it; everything else keeps working meanwhile.",
  mutes:
    "X hasn't given your link permission to read your mutes (links made before Flock showed them lack it). Press **Relink** to link again and approve it; everything else keeps working meanwhile.",
  mute: "X hasn't given your link permission to mute and unmute (links made before Flock could lack it). Press **Relink** to link again and approve it; everything else keeps working meanwhile.",
};

describe('scopes at link time', () => {
  it('asks X for blocks and mutes along with the rest, and keeps what X granted', async () => {
    const other = bot.discord.addUser('other');
    const you = bot.x.world.addUser({ username: 'you_on_x' });
    const browser = new WebClient();
    const reply = await bot.discord.command('link', {}, { user: other }).reply();
    const toDiscord = await browser.visit(linkButtonUrl(reply));
    const toX = await browser.visit(bot.discord.approve(toDiscord.location ?? '', other));
    const scope = new URL(toX.location ?? '').searchParams.get('scope')?.split(' ');
    expect(scope).toEqual([...LINK_SCOPES, 'block.read', 'mute.read', 'mute.write']);
    expect((await browser.visit(bot.x.approve(toX.location ?? '', you.id))).title).toBe(
      'Linked as @you_on_x',
    );
    expect((await links().get(other.id))?.tokens.scopes).toEqual(scope);
  });

  it('keeps the granted scopes through a token refresh', async () => {
    const before = (await stored()).tokens.scopes;
    bot.clock.advance(3 * 60 * 60_000);
    await bot.discord.command('mutes').reply();
    expect(bot.x.requests().length).toBeGreaterThan(0);
    const after = await stored();
    expect(after.tokens.expiresAt).toBeGreaterThan(bot.clock.now());
    expect(after.tokens.scopes).toEqual(before);
  });
});

describe('a link made before Flock asked for blocks and mutes', () => {
  it.each([
    ['recorded as the old set', [...LINK_SCOPES]],
    ['with no scopes recorded', []],
  ])(
    'is asked to relink by /blocks, /mutes, /mute and /unmute only (%s), and X is asked nothing',
    async (_, recorded) => {
      await regrant(LINK_SCOPES, recorded);
      const before = bot.x.requests().length;
      for (const [command, options, text] of [
        ['blocks', {}, PROMPT.blocks],
        ['mutes', {}, PROMPT.mutes],
        ['mute', { user: 'star' }, PROMPT.mute],
        ['unmute', { user: 'star' }, PROMPT.mute],
      ] as const) {
        const reply = await bot.discord.command(command, options).reply();
        expect(reply.flags & 64, command).toBe(64);
        expect(reply.content, command).toBe(text);
        expect(relinkButton(reply)).toEqual([
          expect.objectContaining({ label: 'Relink', custom_id: 'link:relink' }),
        ]);
      }
      expect(bot.x.requests().length).toBe(before);

      // Everything else goes on as before, without a word about relinking.
      const follow = await bot.discord.command('follow', { user: 'star' }).reply((m) => m.content !== '');
      expect(follow.content).toBe('You now follow **@star** on X.');
      const link = await bot.discord.command('link').reply();
      expect(link.content).toMatch(/^Your Discord account is linked to X as \*\*@me\\_on\\_x\*\*/);
      const list = await bot.discord.command('followers', { user: 'star' }).reply();
      expect(list.flags & 64).toBe(0);
      expect(JSON.stringify(list)).not.toMatch(/relink|permission/i);
    },
  );

  it('asks in the reader’s language', async () => {
    await regrant(LINK_SCOPES, []);
    const ja = await bot.discord.command('blocks', {}, { locale: 'ja' }).reply();
    expect(ja.content).toMatch(/^X はあなたの連携にブロックリストを読み込む権限を与えていません/);
    expect(ja.content).toContain('**連携し直す** を押して');
    expect(relinkButton(ja).map((b) => b.label)).toEqual(['連携し直す']);
    const es = await bot.discord.command('mute', { user: 'star' }, { locale: 'es-ES' }).reply();
    expect(es.content).toMatch(/^X no le ha dado a tu vínculo permiso para silenciar/);
  });

  it('relinks from the prompt’s button, after which the lists open', async () => {
    await regrant(LINK_SCOPES, [...LINK_SCOPES]);
    bot.x.world.mutes.add(me.id, bot.x.world.byUsername('star')?.id ?? '');
    const prompt = await bot.discord.command('mutes').reply();
    const connect = await bot.discord
      .click(prompt, 'link:relink')
      .reply((m) => m.content.startsWith('Connect'));
    expect(connect.id).toBe(prompt.id);
    const browser = new WebClient();
    const toDiscord = await browser.visit(linkButtonUrl(connect));
    const toX = await browser.visit(bot.discord.approve(toDiscord.location ?? '', bot.discord.owner));
    expect((await browser.visit(bot.x.approve(toX.location ?? '', me.id))).title).toBe('Linked as @me_on_x');
    expect((await stored()).tokens.scopes).toContain('mute.read');
    const list = await bot.discord.command('mutes').reply();
    expect(JSON.stringify(list.components)).toContain('[@star](https://x.com/star)');
  });
});

describe('a token X refuses for these scopes', () => {
  it('is answered as “relink”, after X’s one refusal', async () => {
    // The link says mute.read was granted, but X's token does not carry it.
    const granted = [...LINK_SCOPES, 'block.read', 'mute.write'];
    await regrant(granted, [...LINK_SCOPES, 'block.read', 'mute.read', 'mute.write']);
    const reply = await bot.discord.command('mutes').reply();
    expect(reply.flags & 64).toBe(64);
    expect(reply.content).toBe(PROMPT.mutes);
    expect(relinkButton(reply).map((b) => b.custom_id)).toEqual(['link:relink']);
    expect(bot.x.requests('GET /2/users/:id/muting').map((r) => r.status)).toEqual([403]);

    // The link stays: only these commands need the scope.
    expect((await stored()).xUserId).toBe(me.id);

    // A list already open meets the same refusal at its next page, with the same button.
    await regrant(
      [...LINK_SCOPES, 'block.read', 'mute.read', 'mute.write'],
      [...LINK_SCOPES, 'block.read', 'mute.read', 'mute.write'],
    );
    for (const user of bot.x.world.addUsers(15, 'muted')) bot.x.world.mutes.add(me.id, user.id);
    const list = await bot.discord.command('mutes').reply();
    await regrant(granted, [...LINK_SCOPES, 'block.read', 'mute.read', 'mute.write']);
    const click = await bot.discord.click(list, buttonId(list, 'Next')).reply();
    expect(click.flags & 64).toBe(64);
    expect(click.content).toBe(PROMPT.mutes);
    expect(relinkButton(click).map((b) => b.custom_id)).toEqual(['link:relink']);

    await regrant(
      [...LINK_SCOPES, 'block.read', 'mute.read'],
      [...LINK_SCOPES, 'block.read', 'mute.read', 'mute.write'],
    );
    const mute = await bot.discord.command('mute', { user: 'star' }).reply((m) => m.content !== '');
    expect(mute.content).toBe(PROMPT.mute);
    expect(bot.x.requests('POST /2/users/:id/muting').map((r) => r.status)).toEqual([403]);
  });
});
