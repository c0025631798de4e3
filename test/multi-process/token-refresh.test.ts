/**
 * One X refresh for a user however many processes need it at once: a linked user's access token
 * expires at X, five /follow arrive together through guilds on all three shards (so three
 * processes take them), and X sees one refresh-token exchange while all five follows go through.
 * X's refresh tokens work once: a second exchange of the same one would revoke the link.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { DiscordUser } from '../emulators/discord/guilds.js';
import type { Message } from '../emulators/discord/interactions.js';
import { type FlockCluster, startCluster } from '../support/flock-processes.js';
import { WebClient } from '../support/web-client.js';
import { answerOf } from './helpers.js';

let cluster: FlockCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

/** The URL of the link button in a /link reply. */
function linkButtonUrl(message: Message): string {
  const button = message.components
    .flatMap((row) => row.components as { url?: string }[])
    .find((b) => b.url !== undefined);
  if (!button?.url) throw new Error(`no link button in the /link reply: ${JSON.stringify(message)}`);
  return button.url;
}

/** /link in the shard-0 guild, then Discord's and X's consent, as a browser would. Returns the last page. */
async function link(c: FlockCluster, user: DiscordUser, xUserId: string): Promise<string> {
  const place = c.guilds[0]?.[0];
  if (!place) throw new Error('no guild on shard 0');
  const reply = await c.discord
    .command('link', {}, { user, guild: place.guild, channel: place.general })
    .reply();
  const browser = new WebClient();
  const toDiscord = await browser.visit(linkButtonUrl(reply));
  const toX = await browser.visit(c.discord.approve(toDiscord.location ?? '', user));
  const page = await browser.visit(c.x.approve(toX.location ?? '', xUserId));
  return page.html;
}

describe('token refresh across processes', () => {
  it('refreshes an expired token once for five concurrent /follow taken by three processes', async () => {
    cluster = await startCluster({ shardCount: 3, processes: [[0], [1], [2]] });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const { discord, x } = c;
    const places = c.guilds.flat();
    const first = places[0];
    if (!first) throw new Error('no guilds');
    const alice = discord.addUser('alice', { guild: first.guild });
    for (const place of places.slice(1)) place.guild.addMember(alice);
    const me = x.world.addUser({ username: 'me_on_x' });
    const targets = x.world.addUsers(5, 'target');

    expect(await link(c, alice, me.id)).toContain('Linked as @me_on_x');
    x.auth.expireAccessTokens(me.id);
    const exchanges = () => x.log.filter((e) => e.path === '/2/oauth2/token').length;
    const before = exchanges();

    // Shards 0, 1, 2, 0, 1: every process takes at least one.
    const interactions = targets.map((target, n) => {
      const place = places[n % places.length];
      if (!place) throw new Error('no guild');
      return discord.command(
        'follow',
        { user: target.username },
        { user: alice, guild: place.guild, channel: place.general },
      );
    });
    const answers = await Promise.all(interactions.map((i) => answerOf(i, 30_000)));

    expect(answers.map((a) => a.content)).toEqual(
      targets.map((t) => `You now follow **@${t.username}** on X.`),
    );
    expect(targets.filter((t) => !x.world.follows(me.id, t.id)).map((t) => t.username)).toEqual([]);
    const takers = new Set(interactions.flatMap((i) => c.handlers(i).map((p) => p.name)));
    expect(takers.size, 'processes that took the five /follow').toBe(3);
    expect(exchanges() - before, 'refresh-token exchanges at X').toBe(1);
    // The link survived: its refresh token was never spent twice (X revokes the family when it is).
    expect(x.auth.liveTokens(me.id)).toEqual({ access: 1, refresh: 1 });
  }, 90_000);
});
