/**
 * The process holding alerts goes away. Killed (SIGKILL), its lease runs out and another process
 * takes the role within the bound; stopped (SIGTERM), it hands the role on at once. Either way
 * each follow made before, during and after the change is alerted exactly once, and a process
 * started in the dead one's place serves its shard.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Channel } from '../emulators/discord/guilds.js';
import type { EmuUser } from '../emulators/x/world.js';
import {
  type FlockCluster,
  type FlockProcess,
  sleep,
  startCluster,
  until,
} from '../support/flock-processes.js';
import { heading } from '../support/v2-message.js';
import {
  answerOf,
  awaitStreamed,
  type ExpectedAlert,
  expectEachAlertedOnce,
  soleHolder,
  track,
} from './helpers.js';

let cluster: FlockCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

/** Lease TTL 10 s plus a standby's 2.5 s retry, with room for a loaded machine. */
const KILLED_BOUND_MS = 30_000;
/** Released at once on SIGTERM: one standby retry, and the time the holder takes to stop. */
const STOPPED_BOUND_MS = 8_000;

interface Watched {
  account: EmuUser;
  channel: Channel;
}

/** Two accounts in each shard's guild, alerting new followers. */
async function watchSix(c: FlockCluster): Promise<Watched[]> {
  const watched = c.guilds
    .flat()
    .flatMap((place) => c.x.world.addUsers(2, `s${place.shard}acct`).map((account) => ({ account, place })));
  for (const { account, place } of watched) await track(c, account, place, { events: 'new' });
  await awaitStreamed(
    c,
    watched.map((w) => w.account),
  );
  return watched.map(({ account, place }) => ({ account, channel: place.alerts }));
}

/** A new follower for each watched account, named `${prefix} n`; what each must become. */
function followEach(c: FlockCluster, watched: Watched[], prefix: string): ExpectedAlert[] {
  return c.x.world.addUsers(watched.length, prefix).map((fan, n) => {
    const { account, channel } = watched[n] as Watched;
    c.x.world.follow(fan.id, account.id);
    return { channel, title: `New follower: ${fan.name}` };
  });
}

/** Waits until one process other than `gone` holds alerts; resolves with it and how long it took. */
async function nextHolder(c: FlockCluster, gone: FlockProcess, since: number, boundMs: number) {
  const names = await until(
    `another process holding 'alerts' within ${boundMs} ms of losing ${gone.name}`,
    async () => (await c.holders('alerts')).map((p) => p.name),
    (held) => held.length === 1 && held[0] !== gone.name,
    { timeoutMs: boundMs, intervalMs: 200 },
  );
  return { holder: names[0], ms: Date.now() - since };
}

describe('failover of alerts', () => {
  it('after SIGKILL of the holder, another takes alerts within 30 s and no event is lost or doubled', async () => {
    cluster = await startCluster({ shardCount: 3, processes: [[0], [1], [2]] });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const watched = await watchSix(c);
    const holder = await soleHolder(c, 'alerts');

    const expected = followEach(c, watched, 'before');
    await sleep(300);
    holder.signal('SIGKILL');
    const killedAt = Date.now();
    expect((await holder.exit).signal).toBe('SIGKILL');
    expected.push(...followEach(c, watched, 'during'));
    await sleep(4_000);
    expected.push(...followEach(c, watched, 'gap'));

    const { ms } = await nextHolder(c, holder, killedAt, KILLED_BOUND_MS);
    console.warn(`failover.test: alerts taken over ${ms} ms after SIGKILL`);
    expect(ms).toBeLessThanOrEqual(KILLED_BOUND_MS);
    expected.push(...followEach(c, watched, 'after'));
    await expectEachAlertedOnce(c, expected, { timeoutMs: 60_000 });

    // A process started in the dead one's place serves its shard, and only it does.
    const shard = holder.shardIds[0] as number;
    const replacement = await c.start([shard]);
    const live = c.discord.gateway.sessions.filter((s) => s.connected && s.shard[0] === shard);
    expect(live).toHaveLength(1);
    const place = c.guilds[shard]?.[0];
    if (!place) throw new Error(`no guild on shard ${shard}`);
    const star = c.x.world.addUser({ username: 'star' });
    const interaction = c.discord.command(
      'lookup',
      { user: 'star' },
      { guild: place.guild, channel: place.general },
    );
    expect(heading(await answerOf(interaction))).toBe(star.name);
    expect(c.handlers(interaction).map((p) => p.name)).toEqual([replacement.name]);
    expect((await c.holders('alerts')).length, 'alerts holders once the replacement runs').toBe(1);
  }, 180_000);

  it('after SIGTERM of the holder, another takes alerts promptly and no event is lost or doubled', async () => {
    cluster = await startCluster({ shardCount: 3, processes: [[0], [1], [2]] });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const watched = await watchSix(c);
    const holder = await soleHolder(c, 'alerts');

    const expected = followEach(c, watched, 'before');
    await sleep(300);
    holder.signal('SIGTERM');
    const stoppedAt = Date.now();
    expected.push(...followEach(c, watched, 'during'));

    const { ms } = await nextHolder(c, holder, stoppedAt, STOPPED_BOUND_MS);
    console.warn(`failover.test: alerts handed over ${ms} ms after SIGTERM`);
    expect(ms).toBeLessThanOrEqual(STOPPED_BOUND_MS);
    expect(await holder.exit).toEqual({ code: 0, signal: null });
    expected.push(...followEach(c, watched, 'after'));
    await expectEachAlertedOnce(c, expected, { timeoutMs: 60_000 });
  }, 150_000);
});
