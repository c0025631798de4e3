/** /help: every command listed from its definition, what Flock keeps and how to delete it, the operator's contact. */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';

let bot: BotHarness | undefined;
afterEach(() => bot?.close());

async function help(env: Record<string, string> = {}) {
  bot = await startBot(env);
  const interaction = bot.discord.command('help');
  const message = await interaction.reply();
  // One private response, nothing in the channel.
  expect(interaction.callbacks.map((c) => c.type)).toEqual([4]);
  expect(message.flags & 64).toBe(64);
  expect(message.allowed_mentions).toEqual({ parse: [] });
  expect(bot.discord.messages(bot.discord.general.id)).toEqual([]);
  return message.content;
}

describe('/help', () => {
  it('names every command and subcommand, and says what Flock keeps and how to delete it', async () => {
    const text = await help();
    for (const { data } of COMMANDS) {
      const subs = (data.options ?? []).filter((o) => o.type === 1).map((o) => `/${data.name} ${o.name}`);
      for (const name of subs.length ? subs : [`/${data.name}`]) expect(text).toContain(`**${name}**`);
    }
    expect(text).toContain('/alerts add');
    expect(text).toContain('What Flock keeps about you');
    expect(text).toContain('encrypted');
    expect(text).toContain('`/unlink` revokes Flock’s access at X and deletes everything linked to you.');
    expect(text).toContain('for 7 days');
    expect(text).not.toContain('Questions about this bot');
    expect(text.length).toBeLessThanOrEqual(2000);
  });

  it('gives the operator’s contact when OPERATOR_CONTACT is set', async () => {
    const text = await help({ OPERATOR_CONTACT: 'flock-admin@example.com', PAGING_EXPIRY_HOURS: '12' });
    expect(text).toContain('Questions about this bot: flock-admin@example.com');
    expect(text).toContain('for 12 hours');
  });
});
