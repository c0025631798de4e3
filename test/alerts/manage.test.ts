/** /alerts add and /alerts list name the watched account as text, whatever X calls it. */
import { Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../insights/helpers.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectNothingLiveFromX, HOSTILE, readMarkdown } from '../support/discord-markdown.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot({ ALERTS_SOURCE: 'poll' });
});
afterEach(() => bot.close());

const list = async () => (await bot.discord.command('alerts', {}, {}, 'list').reply()).content;

describe('/alerts with an account whose username X could not have issued', () => {
  it('names it escaped in the reply to add, in the list, and in the reason it was paused', async () => {
    const odd = bot.x.world.addUser({
      username: '\u202E[x](https://evil.example)<@666>',
      name: HOSTILE.name,
    });
    const added = await bot.discord
      .command('alerts', { account: odd.id, channel: bot.discord.alerts.id }, {}, 'add')
      .reply();
    expectNothingLiveFromX(added.content);
    const handle = '@[x](https://evil.example)<@666>';
    expect(readMarkdown(added.content).visible).toContain(
      `Added alerts for **${handle}** in <#${bot.discord.alerts.id}>: new followers.`,
    );

    await bot.flock.services.alerts.schedule.tick();
    const listed = await list();
    expectNothingLiveFromX(listed);
    expect(readMarkdown(listed).visible).toContain(`**${handle}** → <#${bot.discord.alerts.id}>`);

    odd.state = 'suspended';
    bot.clock.advance(10 * 60_000);
    await bot.flock.services.alerts.schedule.tick();
    const paused = await list();
    expectNothingLiveFromX(paused);
    expect(readMarkdown(paused).visible).toContain(`**paused**: ${handle} is suspended on X`);
  });
});

describe('/alerts list of a full server', () => {
  it('goes on in private follow-ups, each within Discord’s 2,000 characters, naming every subscription once', async () => {
    const role = bot.discord.guild.addRole('watchers', 0n, true);
    const accounts = Array.from({ length: 25 }, (_, n) =>
      bot.x.world.addUser({ username: `long_handle_${String(n).padStart(3, '0')}`, name: `Account ${n}` }),
    );
    for (const account of accounts) {
      const options = {
        account: account.username,
        channel: bot.discord.alerts.id,
        events: 'both',
        role: role.id,
        min_followers: 1000,
      };
      const added = await bot.discord.command('alerts', options, {}, 'add').reply();
      expect(added.content).toContain('Added alerts');
    }
    await bot.flock.services.alerts.schedule.tick();
    // Discord has the bot globally limited for 6 s, and discord.js knows it: follow-ups go through
    // the interaction's token, which the limit does not cover, so none of them waits it out.
    bot.discord.globalLimit.exhaust(6000);
    void bot.flock.client.rest.get(Routes.user('@me')).catch(() => undefined);
    await expect.poll(() => bot.discord.rest.some((r) => r.status === 429), { timeout: 3000 }).toBe(true);
    const interaction = bot.discord.command('alerts', {}, {}, 'list');
    const first = await interaction.reply();
    const messages = [
      first,
      // Until the last one, which ends with the day's spend.
      ...(await until(
        () => interaction.followups.at(-1)?.content.includes('estimated X spend') && interaction.followups,
        'the follow-ups',
      )),
    ];
    expect(Date.now() - interaction.dispatchedAt).toBeLessThan(3000);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.flags & 64).toBe(64);
      expect(message.content.length).toBeLessThanOrEqual(2000);
    }
    const text = messages.map((m) => m.content).join('\n');
    // Markdown-escaped, as every X handle is.
    for (const account of accounts)
      expect(text.split(`**@${account.username.replaceAll('_', '\\_')}**`)).toHaveLength(2);
    expect(messages.at(-1)?.content).toMatch(/Today's estimated X spend for this server's alerts: /);
  });
});
