/** /link, /unlink and /follow name the X account as text, and the link page shows no hidden character. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmuUser } from '../emulators/x/world.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { expectNothingLiveFromX, readMarkdown } from '../support/discord-markdown.js';

let bot: BotHarness;
let me: EmuUser;
/** A username X would never issue: a masked link, a ping and a right-to-left override. */
const USERNAME = '\u202E[x](https://evil.example)<@666>\u200B';
const SHOWN = '@[x](https://evil.example)<@666>';

beforeEach(async () => {
  bot = await startBot();
  me = bot.x.world.addUser({ username: USERNAME, name: 'Me' });
});
afterEach(() => bot.close());

const answer = async (command: string, options = {}) =>
  (await bot.discord.command(command, options).reply()).content;

describe('an X account whose username X could not have issued', () => {
  it('is named as text by the link page, /link and /unlink', async () => {
    const page = await bot.link(bot.discord.owner, me.id);
    expect(page).toContain(`Linked as ${SHOWN.replace('<', '&lt;').replace('>', '&gt;')}`);
    expect(page).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u);

    const linked = await answer('link');
    expectNothingLiveFromX(linked);
    expect(readMarkdown(linked).visible).toContain(`linked to X as **${SHOWN}**.`);

    const unlinked = await answer('unlink');
    expectNothingLiveFromX(unlinked);
    expect(readMarkdown(unlinked).visible).toMatch(`Unlinked **${SHOWN}**`);
  });

  it('is named as text by /follow', async () => {
    const target = bot.x.world.addUser({ username: '# [t](https://evil.example/t)', name: 'T' });
    await bot.link(bot.discord.owner, me.id);
    const followed = await answer('follow', { user: target.id });
    expectNothingLiveFromX(followed);
    expect(readMarkdown(followed).visible).toBe('You now follow **@# [t](https://evil.example/t)** on X.');
  });
});
