/** Autocomplete shows recent accounts as plain text: nothing hidden, on one line, within 100 characters. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { HOSTILE } from '../support/discord-markdown.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
});
afterEach(() => bot.close());

describe('account suggestions', () => {
  it('strip hidden characters, keep one line, and suggest an impossible username by id', async () => {
    const odd = bot.x.world.addUser({
      username: `\u202E${HOSTILE.username}`,
      name: `\u2066ev\u200Bil\u2069\n${'x'.repeat(200)}`,
    });
    const fine = bot.x.world.addUser({ username: 'evelyn', name: '\u202Eevelyn\u202C \u200D' });
    for (const user of [odd, fine]) await bot.discord.command('lookup', { user: user.id }).reply();
    const choices = (await bot.discord
      .autocomplete('followers', { user: 'ev' }, 'user')
      .autocompleteChoices()) as { name: string; value: string }[];
    expect(choices).toEqual([
      { name: 'evelyn (@evelyn)', value: 'evelyn' },
      {
        name: expect.stringMatching(/^evil x+… \(@evil\[x\]\(https:\/\/evil\.example\/u\)\)$/),
        value: odd.id,
      },
    ]);
    for (const { name } of choices) {
      expect(name.length).toBeLessThanOrEqual(100);
      expect(name).not.toMatch(/[\n\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u);
    }
  });
});
