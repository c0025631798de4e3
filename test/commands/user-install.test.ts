/**
 * Commands that go where the user goes: installed to a user as well as to a server, run in the
 * DM with the bot, in group DMs and in servers that did not add Flock, where Flock answers inside
 * the interaction only and a list is the user's alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Guild } from '../emulators/discord/guilds.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { buttonId, heading, listedNames as names, textDisplays } from '../support/v2-message.js';

let bot: BotHarness;
beforeEach(async () => {
  // Commands registered globally, as in production: guild commands never reach DMs or other servers.
  bot = await startBot({ DISCORD_GUILD_ID: '' });
});
afterEach(() => bot.close());

const EPHEMERAL = 64;

/** @star with `count` followers, fan{count-1} listed first. */
function seedStar(count: number) {
  const world = bot.x.world;
  const star = world.addUser({ username: 'star', name: 'Star Account' });
  const start = bot.clock.now() - count * 1000;
  for (const [n, fan] of world.addUsers(count, 'fan').entries())
    world.follow(fan.id, star.id, start + n * 1000);
  return star;
}

/** A server that did not add Flock, with the owner (who installed Flock to themself) in it. */
function serverWithoutBot(): Guild {
  const guild = bot.discord.addGuild('Elsewhere', bot.discord.owner, { withoutBot: true });
  guild.addChannel('lounge');
  return guild;
}

describe('the registered commands', () => {
  it('install to a user as well as a server and run everywhere, except /alerts: servers only', () => {
    const registered = Object.fromEntries(
      bot.discord.globalCommands.map((c) => [c.name, [c.integration_types, c.contexts]]),
    );
    const anywhere = [
      [0, 1],
      [0, 1, 2],
    ];
    expect(registered).toEqual({
      followers: anywhere,
      following: anywhere,
      lookup: anywhere,
      link: anywhere,
      unlink: anywhere,
      follow: anywhere,
      unfollow: anywhere,
      blocks: anywhere,
      mutes: anywhere,
      mute: anywhere,
      unmute: anywhere,
      insights: anywhere,
      export: anywhere,
      help: anywhere,
      alerts: [[0], [0]],
    });
  });

  it('/alerts is not offered in DMs, group DMs, or servers without the bot', () => {
    const friend = bot.discord.addUser('friend');
    const places = [{ dm: true }, { groupDm: { with: [friend] } }, { guild: serverWithoutBot() }];
    for (const place of places)
      expect(() => bot.discord.command('alerts', {}, place, 'list')).toThrow(/is not offered/);
    // Where the bot is, it still is.
    expect(() => bot.discord.command('alerts', {}, {}, 'list')).not.toThrow();
  });
});

describe('in the DM with the bot', () => {
  it('/followers answers publicly in the DM, and its pages turn', async () => {
    seedStar(15);
    const interaction = bot.discord.command('followers', { user: '@star' }, { dm: true });
    expect(interaction.payload).toMatchObject({ context: 1, user: { id: bot.discord.owner.id } });
    expect(interaction.payload.member).toBeUndefined();
    const first = await interaction.reply();
    expect(first.flags & EPHEMERAL).toBe(0);
    expect(names(first)[0]).toBe('fan14');
    const dmChannel = String(interaction.payload.channel_id);
    expect(bot.discord.messages(dmChannel).map((m) => m.id)).toEqual([first.id]);

    const second = await bot.discord.click(first, buttonId(first, 'Next'), { dm: true }).reply();
    expect(names(second)).toEqual(['fan4', 'fan3', 'fan2', 'fan1', 'fan0']);
    expect(bot.discord.messages(bot.discord.general.id)).toEqual([]);
  });

  it('autocomplete suggests what this person looked up, not what a server did', async () => {
    for (const name of ['alpha', 'alpine']) bot.x.world.addUser({ username: name, name: name.toUpperCase() });
    await bot.discord.command('lookup', { user: 'alpha' }, { dm: true }).reply();
    await bot.discord.command('lookup', { user: 'alpine' }).reply();
    const inDm = await bot.discord
      .autocomplete('followers', { user: 'al' }, 'user', { dm: true })
      .autocompleteChoices();
    expect(inDm).toEqual([{ name: 'ALPHA (@alpha)', value: 'alpha' }]);
    const inServer = await bot.discord
      .autocomplete('followers', { user: 'al' }, 'user')
      .autocompleteChoices();
    expect(inServer).toEqual([{ name: 'ALPINE (@alpine)', value: 'alpine' }]);
  });
});

describe('in a server without the bot', () => {
  it('/lookup answers privately, and its buttons open a private list that pages for that user', async () => {
    seedStar(12);
    const elsewhere = serverWithoutBot();
    const place = { guild: elsewhere };
    const interaction = bot.discord.command('lookup', { user: 'star' }, place);
    expect(interaction.payload).toMatchObject({
      context: 0,
      guild_id: elsewhere.id,
      authorizing_integration_owners: { '1': bot.discord.owner.id },
    });
    expect(interaction.payload.authorizing_integration_owners).not.toHaveProperty('0');
    const card = await interaction.reply();
    expect(card.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(heading(card)).toBe('Star Account');

    const list = await bot.discord.click(card, buttonId(card, 'Followers'), place).reply();
    expect(list.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(names(list)[0]).toBe('fan11');
    const next = await bot.discord.click(list, buttonId(list, 'Next'), place).reply();
    expect(names(next)).toEqual(['fan1', 'fan0']);
    // Nothing went to the server's channels: Flock is not there.
    for (const channel of elsewhere.channels) expect(bot.discord.messages(channel.id)).toEqual([]);
  });
});

describe('in a group DM', () => {
  it('/help answers privately', async () => {
    const friend = bot.discord.addUser('friend');
    const interaction = bot.discord.command('help', {}, { groupDm: { with: [friend] } });
    expect(interaction.payload).toMatchObject({
      context: 2,
      channel: { type: 3 },
      user: { id: bot.discord.owner.id },
      authorizing_integration_owners: { '1': bot.discord.owner.id },
    });
    expect(interaction.payload.member).toBeUndefined();
    const message = await interaction.reply();
    expect(message.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(textDisplays(message).join('\n')).toContain('What Flock keeps about you');
    expect(bot.discord.messages(String(interaction.payload.channel_id))).toEqual([]);
  });

  it('/followers lists privately there', async () => {
    seedStar(3);
    const friend = bot.discord.addUser('friend');
    const list = await bot.discord
      .command('followers', { user: 'star' }, { groupDm: { with: [friend] } })
      .reply();
    expect(list.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(names(list)).toEqual(['fan2', 'fan1', 'fan0']);
  });
});
