/**
 * Preconditions declared beside each command and checked by the router before its handler: the
 * declarations themselves, and each refusal as one private answer that changes nothing and asks
 * X nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { PRECONDITION_TEXT } from '../../src/discord/preconditions.js';
import { ENGLISH } from '../../src/i18n/translate.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';

let bot: BotHarness | undefined;
afterEach(() => bot?.close());

const needsOf = (name: string) => COMMANDS.find((c) => c.data.name === name)?.needs ?? [];

describe('declared preconditions', () => {
  it('are declared where a command needs them, and nowhere else', () => {
    expect(needsOf('follow')).toEqual(['linked']);
    expect(needsOf('unfollow')).toEqual(['linked']);
    expect(needsOf('alerts')).toEqual(['server', 'manage-server']);
    for (const name of ['followers', 'following', 'lookup', 'link', 'unlink', 'help'])
      expect(needsOf(name), name).toEqual([]);
  });

  it('refuses /follow before any X request when nothing is linked', async () => {
    bot = await startBot();
    bot.x.world.addUser({ username: 'star' });
    const interaction = bot.discord.command('follow', { user: 'star' });
    const reply = await interaction.reply();
    // The command is mentioned by its id: Discord shows it in the reader's language, and a click opens it.
    const link = bot.discord.guildCommands.get(bot.discord.guild.id)?.find((c) => c.name === 'link');
    expect(reply.content).toBe(`First link your X account with </link:${link?.id}>.`);
    expect(reply.flags & 64).toBe(64);
    expect(interaction.callbacks.map((c) => c.type)).toEqual([4]);
    expect(bot.x.requests()).toEqual([]);
  });

  it('refuses /alerts to a member without Manage Server, in the command’s own words, and stores nothing', async () => {
    bot = await startBot();
    bot.x.world.addUser({ username: 'star' });
    const member = bot.discord.addUser('member');
    const reply = await bot.discord
      .command('alerts', { account: 'star', channel: bot.discord.alerts.id }, { user: member }, 'add')
      .reply();
    expect(reply.content).toBe('Only members with the Manage Server permission can manage follower alerts.');
    expect(reply.content).not.toBe(PRECONDITION_TEXT['manage-server'](ENGLISH));
    expect(reply.flags & 64).toBe(64);
    expect(bot.x.requests()).toEqual([]);
    expect(await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id)).toEqual([]);
  });
});

describe('options read from the definitions', () => {
  it('reads /alerts add with its defaults, and refuses a value outside a choice list before anything else', async () => {
    bot = await startBot();
    bot.x.world.addUser({ username: 'star' });
    const odd = await bot.discord
      .command('alerts', { account: 'star', channel: bot.discord.alerts.id, events: 'everything' }, {}, 'add')
      .reply();
    expect(odd.content).toBe('“events” must be one of the choices offered.');
    expect(odd.flags & 64).toBe(64);
    expect(bot.x.requests()).toEqual([]);

    const added = await bot.discord
      .command('alerts', { account: 'star', channel: bot.discord.alerts.id }, {}, 'add')
      .reply((m) => m.content !== '');
    expect(added.content).toMatch(/^Added alerts for \*\*@star\*\* in <#\d+>: new followers\./);
    const [subscription] = await bot.flock.services.alerts.subscriptions.forGuild(bot.discord.guild.id);
    expect(subscription).toMatchObject({ events: 'new', minFollowers: 0 });
  });
});
