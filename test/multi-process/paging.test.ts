/**
 * A paged list outlives the process that showed it: the list lives in Redis, so when that process
 * is killed, the replacement that takes its shard serves the next click, with the page the list
 * was on and without reading X again for a page already read today.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Message } from '../emulators/discord/interactions.js';
import { type FlockCluster, startCluster, until } from '../support/flock-processes.js';
import { buttonId, v2Text } from '../support/v2-message.js';
import { answerOf } from './helpers.js';

let cluster: FlockCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('paging across processes', () => {
  it('serves a click from the process that replaced the one which showed the list', async () => {
    cluster = await startCluster({ shardCount: 2, processes: [[0], [1]] });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const { discord, x } = c;
    const star = x.world.addUser({ username: 'star', name: 'Star' });
    for (const fan of x.world.addUsers(60, 'fan')) x.world.follow(fan.id, star.id);
    const place = c.guilds[0]?.[0];
    if (!place) throw new Error('no guild on shard 0');

    const command = discord.command(
      'followers',
      { user: 'star' },
      { guild: place.guild, channel: place.general },
    );
    expect(v2Text(await answerOf(command))).toContain('fan 59');
    const shower = c.handlers(command)[0];
    expect(shower?.name).toBe(c.processes[0]?.name);
    const list = command.original as Message;
    const next = discord.click(list, buttonId(list, 'Next'), { guild: place.guild });
    const page2 = await answerOf(next);
    const reads = x.requests(`GET /2/users/${star.id}/followers`).length;

    // The process holding shard 0 dies; a replacement takes the shard.
    shower?.signal('SIGKILL');
    await shower?.exit;
    const replacement = await c.start([0]);
    await until(
      'shard 0 served by the replacement',
      () => replacement.health(),
      (h) => h?.shards.every((s) => s.status === 'ready') === true,
    );

    const back = discord.click(list, buttonId(list, 'Prev'), { guild: place.guild });
    const page1 = await answerOf(back);
    expect(c.handlers(back).map((p) => p.name)).toEqual([replacement.name]);
    expect(v2Text(page1)).toContain('fan 59');
    expect(v2Text(page1)).not.toBe(v2Text(page2));
    expect(page1.flags & (1 << 15)).toBe(1 << 15);
    // Page 1 was read today already: the replacement served it from the store.
    expect(x.requests(`GET /2/users/${star.id}/followers`).length).toBe(reads);
  }, 90_000);
});
