import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BEARER } from '../emulators/x/server.js';
import { type BotHarness, startBot } from '../support/bot-harness.js';
import { heading } from '../support/v2-message.js';

let bot: BotHarness;
beforeEach(async () => {
  bot = await startBot();
  bot.x.world.addUser({ username: 'star' });
});
afterEach(() => bot.close());

/** Runs /followers and returns the ephemeral answer; the channel must be left with no public message. */
async function privateAnswer(user: string, command = 'followers'): Promise<string> {
  const interaction = bot.discord.command(command, { user });
  await interaction.acknowledgement();
  const answer = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const message =
        interaction.followups[0] ?? (interaction.original?.flags === 64 ? interaction.original : undefined);
      if (message) resolve(message.content);
    };
    interaction.on('change', check);
    check();
    setTimeout(() => reject(new Error('no private answer')), 8000);
  });
  const message = interaction.followups[0] ?? interaction.original;
  expect(message?.flags).toBe(64);
  expect(message?.allowed_mentions).toEqual({ parse: [] });
  expect(bot.discord.messages(bot.discord.general.id)).toEqual([]);
  return answer;
}

describe('errors people see', () => {
  it('answers a malformed reference with the accepted forms, sending nothing to X', async () => {
    for (const bad of ['not an account!', 'https://example.com/star', '@']) {
      expect(await privateAnswer(bad)).toMatch(
        /doesn't look like an X account\. Use `@name`, `name`, a profile link/,
      );
    }
    expect(bot.x.log).toEqual([]);
  });

  it('names an unknown account', async () => {
    expect(await privateAnswer('@nobody_here')).toBe(
      "I couldn't find @nobody_here on X. Check the spelling, or try a profile link.",
    );
  });

  it('says when an account is suspended', async () => {
    bot.x.world.addUser({ username: 'banned', state: 'suspended' });
    expect(await privateAnswer('banned')).toBe('@banned is suspended on X, so there is nothing to show.');
  });

  it("says when a protected account's lists cannot be seen", async () => {
    bot.x.world.addUser({ username: 'locked', protected: true });
    expect(await privateAnswer('locked', 'following')).toBe(
      '@locked is protected: only approved followers can see its lists.',
    );
  });

  it('says when to retry after a rate limit, as a Discord relative timestamp', async () => {
    bot.x.limiter.limits['GET /2/users/:id/followers'] = { app: 0 };
    const answer = await privateAnswer('star');
    const reset = Math.ceil((bot.clock.now() + 15 * 60_000) / 1000);
    expect(answer).toBe(`X is limiting how often I can ask right now. Try again <t:${reset}:R>.`);
  });

  it('remembers an empty rate-limit bucket across a restart, sending nothing to X', async () => {
    bot.x.limiter.limits['GET /2/users/by/username/:username'] = { app: 1 };
    bot.x.world.addUser({ username: 'other' });
    await bot.discord.command('lookup', { user: 'star' }, { channel: bot.discord.alerts }).reply();
    await bot.restart();
    const sent = bot.x.log.length;
    expect(await privateAnswer('other', 'lookup')).toMatch(
      /^X is limiting how often I can ask right now\. Try again <t:\d+:R>\.$/,
    );
    expect(bot.x.log.length).toBe(sent);
  });

  it('says X is not answering when it keeps failing', async () => {
    bot.x.faults.add({ status: 503, times: 20 });
    expect(await privateAnswer('star')).toBe('X is not answering, try again shortly.');
  });

  it('apologises for an unexpected failure and logs it with the interaction’s context, without secrets', async () => {
    bot.x.auth.bearerTokens.clear();
    expect(await privateAnswer('star')).toMatch(/^Sorry, something went wrong on my side/);
    const failure = bot.logs
      .map((line) => JSON.parse(line))
      .find((entry) => entry.message === 'interaction failed');
    expect(failure).toMatchObject({
      level: 'error',
      command: 'followers',
      guildId: bot.discord.guild.id,
      userId: bot.discord.owner.id,
    });
    expect(failure.error.name).toBe('XUnauthorizedError');
    const everything = bot.logs.join('\n');
    expect(everything).not.toContain(DEFAULT_BEARER);
    expect(everything).not.toContain(bot.discord.token);
  });

  it('acknowledges within 3 seconds when X takes 5, then completes', async () => {
    bot.x.faults.add({ match: '/2/users/by/username', latencyMs: 5000 });
    const interaction = bot.discord.command('followers', { user: 'star' });
    const ack = await interaction.acknowledgement();
    expect(ack.type).toBe(5);
    expect(ack.at - interaction.dispatchedAt).toBeLessThan(3000);
    const reply = await interaction.reply(undefined, 15_000);
    expect(heading(reply)).toBe('Followers of star (@star)');
  }, 20_000);
});
