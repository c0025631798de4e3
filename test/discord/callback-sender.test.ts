/**
 * The first response of every answer goes out on Flock's own sender (callback-sender.ts), not
 * through @discordjs/rest: what that client did for a callback must still happen. A 429 is waited
 * out however Discord says how long (the Retry-After header, or `retry_after` in the body), a 5xx
 * or a reset connection is tried again, and a refusal still reaches the router as discord.js's
 * DiscordAPIError, with the token kept out of the log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../emulators/discord/interactions.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { heading } from '../support/v2-message.js';

let bot: BotHarness;

beforeEach(async () => {
  bot = await startBot();
  const world = bot.x.world;
  const star = world.addUser({ username: 'star', name: 'Star Account' });
  for (const fan of world.addUsers(12, 'fan')) world.follow(fan.id, star.id);
  // Cached, so that the answer is ready at once and goes out as the first response.
  await bot.discord.command('followers', { user: 'star' }).reply();
});
afterEach(() => bot.close());

const CALLBACK = /^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/;
const LIMITED = { message: 'You are being rate limited.', global: false, code: 0 };

/** Each try at the interaction's callback: its status (0: the connection was cut) and when. */
function tries(interaction: Interaction) {
  return bot.discord.rest
    .filter((r) => r.path.includes(`/interactions/${interaction.id}/`))
    .map((r) => ({ status: r.status, at: r.at }));
}

describe("an interaction's callback", () => {
  it('waits out a 429 whose wait is only in the Retry-After header, then answers', async () => {
    bot.discord.faults.push({
      match: CALLBACK,
      status: 429,
      // Two seconds: not the one a 429 that says nothing is waited.
      headers: { 'retry-after': '2', 'x-ratelimit-scope': 'user' },
      body: LIMITED,
    });
    const command = bot.discord.command('followers', { user: 'star' });
    const page = await command.reply();
    expect(heading(page)).toBe('Followers of Star Account (@star)');
    const [refused, answered] = tries(command);
    expect([refused?.status, answered?.status]).toEqual([429, 204]);
    expect((answered?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(1950);
    expect(bot.logs.join('\n')).not.toContain('interaction failed');
  });

  it("waits out a 429 whose wait is only the body's retry_after, fractional, then answers", async () => {
    bot.discord.faults.push({ match: CALLBACK, status: 429, body: { ...LIMITED, retry_after: 0.4 } });
    const command = bot.discord.command('followers', { user: 'star' });
    await command.reply();
    const [refused, answered] = tries(command);
    expect([refused?.status, answered?.status]).toEqual([429, 204]);
    const waited = (answered?.at ?? 0) - (refused?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(350);
    // Not the second a missing header would have meant.
    expect(waited).toBeLessThan(950);
  });

  it('does not wait out a 429 longer than the interaction has: it tells the person instead', async () => {
    bot.discord.faults.push({
      match: CALLBACK,
      status: 429,
      headers: { 'retry-after': '60' },
      body: { ...LIMITED, retry_after: 60 },
    });
    const command = bot.discord.command('followers', { user: 'star' });
    const note = await command.reply();
    expect(note.content).toContain('something went wrong');
    expect(tries(command).map((t) => t.status)).toEqual([429, 204]);
    // Logged as discord.js's own error, the token out of it.
    const failure = bot.logs.find((line) => line.includes('interaction failed')) ?? '';
    expect(failure).toContain('DiscordAPIError');
    expect(failure).not.toContain(command.token);
  });

  it('tries again after a server error', async () => {
    bot.discord.faults.push({ match: CALLBACK, status: 502 });
    const command = bot.discord.command('followers', { user: 'star' });
    // The page itself, not the apology a failed callback would have been followed by.
    expect(heading(await command.reply())).toBe('Followers of Star Account (@star)');
    expect(tries(command).map((t) => t.status)).toEqual([502, 204]);
  });

  it('gives up after three 429s, however short their waits', async () => {
    bot.discord.faults.push({
      match: CALLBACK,
      status: 429,
      body: { ...LIMITED, retry_after: 0.05 },
      times: 3,
    });
    const command = bot.discord.command('followers', { user: 'star' });
    const note = await command.reply();
    expect(note.content).toContain('something went wrong');
    expect(tries(command).map((t) => t.status)).toEqual([429, 429, 429, 204]);
  });

  it('holds every callback while Discord says the whole bot is limited, sending none known to get a 429', async () => {
    bot.discord.faults.push({
      match: CALLBACK,
      status: 429,
      headers: { 'retry-after': '2', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
      body: { ...LIMITED, retry_after: 1.5, global: true },
    });
    const first = bot.discord.command('followers', { user: 'star' });
    await expect.poll(() => tries(first).length).toBe(1);
    const second = bot.discord.command('followers', { user: 'star' });
    await Promise.all([first.reply(), second.reply()]);
    const [refused] = tries(first);
    // The second waited out the first's 429 before its one try.
    expect(tries(second).map((t) => t.status)).toEqual([204]);
    expect((tries(second)[0]?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(1400);
    expect(tries(first).map((t) => t.status)).toEqual([429, 204]);
  });

  it('takes "already acknowledged" on a try again as the answer: the try before reached Discord', async () => {
    bot.discord.faults.push({ match: CALLBACK, cutAfterActing: true });
    const command = bot.discord.command('followers', { user: 'star' });
    expect(heading(await command.reply())).toBe('Followers of Star Account (@star)');
    await expect.poll(() => tries(command).map((t) => t.status)).toEqual([204, 400]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.logs.join('\n')).not.toContain('interaction failed');
    expect(tries(command)).toHaveLength(2);
    // Discord's 40060 to the second try is the one refusal this test brings about on purpose.
    bot.discord.rest.splice(
      bot.discord.rest.findIndex((r) => r.status === 400),
      1,
    );
  });

  it('tries again when the connection is reset before an answer', async () => {
    bot.discord.faults.push({ match: CALLBACK, reset: true });
    const command = bot.discord.command('followers', { user: 'star' });
    // The page itself, not the apology a failed callback would have been followed by.
    expect(heading(await command.reply())).toBe('Followers of Star Account (@star)');
    expect(tries(command).map((t) => t.status)).toEqual([0, 204]);
  });

  it('stops after three server errors and says nothing it cannot', async () => {
    bot.discord.faults.push({ match: CALLBACK, status: 503, times: 3 });
    const command = bot.discord.command('followers', { user: 'star' });
    // The apology is a callback too, and Discord takes it.
    const note = await command.reply();
    expect(note.content).toContain('something went wrong');
    expect(tries(command).map((t) => t.status)).toEqual([503, 503, 503, 204]);
    expect(bot.logs.find((line) => line.includes('interaction failed'))).toContain('HTTPError');
  });
});

describe('stopping', () => {
  it('lets an answer being worked on finish before it closes the answers client', async () => {
    // An account nobody asked for yet: its page comes from X, which takes its time.
    bot.x.faults.add({ match: '/2/users', latencyMs: 400, times: 2 });
    const command = bot.discord.command('followers', { user: 'fan1' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const restarted = bot.restart();
    expect(heading(await command.reply())).toBe('Followers of fan 1 (@fan1)');
    await restarted;
    expect(bot.logs.join('\n')).not.toContain('interaction failed');
  });
});
