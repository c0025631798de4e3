/**
 * Three Flock processes on one Redis, one gateway shard each of three: every shard connected
 * once, each guild's commands answered by the process holding its shard, and one alerts owner.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { type FlockCluster, sleep, startCluster } from '../support/flock-processes.js';
import { v2Text } from '../support/v2-message.js';
import { answerOf, soleHolder } from './helpers.js';

let cluster: FlockCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('three processes, three shards', () => {
  it('connects every shard exactly once, answers each guild from its shard’s process, and has one alerts owner', async () => {
    cluster = await startCluster({ shardCount: 3, processes: [[0], [1], [2]] });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const { discord, x } = c;

    const sessions = discord.gateway.sessions.filter((s) => s.connected);
    expect(sessions.map((s) => s.shard).sort()).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    for (const [n, proc] of c.processes.entries()) {
      expect((await proc.health())?.shards).toEqual([{ id: n, status: 'ready' }]);
    }

    const star = x.world.addUser({ username: 'star', name: 'Star' });
    for (const fan of x.world.addUsers(3, 'fan')) x.world.follow(fan.id, star.id);
    for (const [shard, [place]] of c.guilds.entries()) {
      if (!place) throw new Error(`no guild on shard ${shard}`);
      const interaction = discord.command(
        'followers',
        { user: 'star' },
        { guild: place.guild, channel: place.general },
      );
      const answer = await answerOf(interaction);
      expect(v2Text(answer), `/followers on shard ${shard}`).toContain('fan 2');
      expect(
        c.handlers(interaction).map((p) => p.name),
        `the process that took the shard-${shard} interaction`,
      ).toEqual([c.processes[shard]?.name]);
      // One acknowledgement: no second process tried to answer it.
      expect(interaction.callbacks.filter((cb) => cb.status >= 400)).toEqual([]);
    }

    const holder = await soleHolder(c, 'alerts');
    // And it stays one: the others keep standing by through a few of their retries.
    await sleep(6_000);
    expect((await c.holders('alerts')).map((p) => p.name)).toEqual([holder.name]);
    // The other background roles have one holder each too.
    for (const role of ['linked-roles', 'sweeper'])
      expect.soft((await c.holders(role)).length, `processes holding '${role}'`).toBe(1);
  }, 90_000);
});
