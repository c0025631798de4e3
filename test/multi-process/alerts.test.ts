/**
 * Alerts with three processes on one Redis: 300 accounts tracked over six guilds on three shards
 * (each /alerts add taken by the process of its guild's shard), follows and unfollows made at X,
 * and every one of them alerted exactly once, in the right channel, by whichever process holds
 * alerts: none twice, none missing.
 */
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Channel } from '../emulators/discord/guilds.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type FlockCluster, type ShardGuild, sleep, startCluster } from '../support/flock-processes.js';
import {
  awaitStreamed,
  type ExpectedAlert,
  expectEachAlertedOnce,
  inBatches,
  soleHolder,
  track,
} from './helpers.js';

let cluster: FlockCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const ACCOUNTS = 300;
const GUILDS_PER_SHARD = 2;
/** Discord paces a channel at 5 messages in 5 s: ten accounts a channel keeps delivery short. */
const CHANNELS_PER_GUILD = 5;
const PER_GUILD = ACCOUNTS / (3 * GUILDS_PER_SHARD);
const PER_CHANNEL = PER_GUILD / CHANNELS_PER_GUILD;
/** Every third account starts with a follower who later leaves. */
const hasLeaver = (n: number) => n % 3 === 0;
/** Enough of X's budget that 300 accounts' set-up never waits on a rate limit. */
const ROOMY = { app: 100_000, user: 100_000 };

describe('alerts with three processes', () => {
  it('alerts each follow and unfollow of 300 tracked accounts exactly once, in its channel', async () => {
    cluster = await startCluster({
      shardCount: 3,
      processes: [[0], [1], [2]],
      guildsPerShard: GUILDS_PER_SHARD,
      alertChannels: CHANNELS_PER_GUILD,
      env: { ALERTS_MAX_PER_GUILD: String(PER_GUILD) },
      x: {
        limits: {
          'GET /2/users/:id/followers': ROOMY,
          'GET /2/users/by/username/:username': ROOMY,
          'GET /2/users': ROOMY,
          'POST /2/activity/subscriptions': ROOMY,
          'GET /2/activity/subscriptions': ROOMY,
        },
      },
    });
    const c = cluster;
    onTestFailed(() => console.error(c.summary()));
    const { x } = c;
    const places = c.guilds.flat();
    const accounts = x.world.addUsers(ACCOUNTS, 'acct');
    const where = (n: number): { place: ShardGuild; channel: Channel } => {
      const place = places[Math.floor(n / PER_GUILD)] as ShardGuild;
      const channel = place.alertChannels[Math.floor((n % PER_GUILD) / PER_CHANNEL)] as Channel;
      return { place, channel };
    };
    const leavers = new Map<number, EmuUser>();
    for (const [n, account] of accounts.entries()) {
      if (!hasLeaver(n)) continue;
      const leaver = x.world.addUser({ username: `leaver${n}`, name: `leaver ${n}` });
      x.world.follow(leaver.id, account.id);
      leavers.set(n, leaver);
    }

    const started = Date.now();
    await inBatches(accounts, 15, (account, n) =>
      track(c, account, where(n).place, { channel: where(n).channel }),
    );
    console.warn(`alerts.test: ${ACCOUNTS} /alerts add took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await awaitStreamed(c, accounts, 90_000);
    await soleHolder(c, 'alerts');

    const expected: ExpectedAlert[] = [];
    const fans = x.world.addUsers(ACCOUNTS, 'fan');
    for (const [n, account] of accounts.entries()) {
      const fan = fans[n] as EmuUser;
      x.world.follow(fan.id, account.id);
      expected.push({ channel: where(n).channel, title: `New follower: ${fan.name}` });
    }
    await sleep(1_000);
    for (const [n, leaver] of leavers) {
      x.world.unfollow(leaver.id, (accounts[n] as EmuUser).id);
      expected.push({ channel: where(n).channel, title: `Unfollowed: ${leaver.name}` });
    }
    await expectEachAlertedOnce(c, expected, { timeoutMs: 90_000 });

    // One process did the alerts work: one stream, and no read of an account's list made twice
    // (the same request again is what a second checker would send).
    expect.soft(x.activity.connections.length, 'Activity streams open at X').toBe(1);
    const reread = accounts.filter((a) => {
      const reads = x.requests(`GET /2/users/${a.id}/followers`).map((e) => e.query);
      return new Set(reads).size !== reads.length;
    });
    expect
      .soft(reread.map((a) => a.username).slice(0, 10), 'accounts whose followers list was read twice alike')
      .toEqual([]);
  }, 300_000);
});
