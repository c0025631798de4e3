/**
 * X's rate-limit buckets are shared by all processes: with X's followers bucket at five
 * requests, /followers sent through all three processes together uses those five and no more.
 * No request goes into a bucket known to be empty (X never answers 429), and the people who
 * asked past the limit are told when to try again.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { type FlockCluster, startCluster } from '../support/flock-processes.js';
import { type Answer, answerOf } from './helpers.js';

let cluster: FlockCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const LIMIT = 5;
const ROUNDS = 6;
const RATE_LIMITED = /^X is limiting how often I can ask right now\. Try again <t:\d+:R>\.$/;

describe('a rate-limit bucket shared by three processes', () => {
  it('stops all three at the bucket’s limit: X never answers 429, and people are told to wait', async () => {
    cluster = await startCluster({
      shardCount: 3,
      processes: [[0], [1], [2]],
      x: { limits: { 'GET /2/users/:id/followers': { app: LIMIT } } },
    });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const { discord, x } = c;
    const places = c.guilds.flat();
    // A different account each time: nothing comes from a cache.
    const stars = x.world.addUsers(ROUNDS * places.length, 'star');
    for (const [n, star] of stars.entries()) {
      const [fan] = x.world.addUsers(1, `fan${n}x`);
      if (fan) x.world.follow(fan.id, star.id);
    }

    // Rounds of three at once, one through each process.
    const answers: Answer[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const batch = places.map((place, n) => {
        const star = stars[round * places.length + n];
        if (!star) throw new Error('no star');
        return discord.command(
          'followers',
          { user: star.username },
          { guild: place.guild, channel: place.general },
        );
      });
      answers.push(...(await Promise.all(batch.map((i) => answerOf(i)))));
    }

    const reads = x.requests('GET /2/users/:id/followers');
    expect(reads.filter((r) => r.status === 429).length, 'followers requests X refused with 429').toBe(0);
    const listed = answers.filter((a) => a.components.length > 0 && a.flags & (1 << 15));
    const waiting = answers.filter((a) => RATE_LIMITED.test(a.content));
    expect(
      answers.filter((a) => !listed.includes(a) && !waiting.includes(a)).map((a) => a.content),
      'answers that are neither a list nor the rate-limit notice',
    ).toEqual([]);
    expect(
      waiting.every((a) => a.ephemeral),
      'the rate-limit notice is private',
    ).toBe(true);
    expect(listed.length, 'lists shown').toBeLessThanOrEqual(LIMIT);
    // Together they stop at the limit, not before it.
    expect.soft(listed.length, 'lists shown (the whole bucket used)').toBe(LIMIT);
  }, 90_000);
});
