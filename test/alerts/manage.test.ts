/** /alerts add and /alerts list name the watched account as text, whatever X calls it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
