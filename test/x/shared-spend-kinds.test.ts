/** Reads and writes priced apart, billed by several processes through one Redis. */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCoordinationClient } from '../../src/coordination/redis-coordination.js';
import {
  CostMeter,
  createSharedXState,
  createXClient,
  RateLimits,
  type SpendTally,
  type XClient,
} from '../../src/x/index.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from '../emulators/x/server.js';
import { ManualClock } from '../support/manual-clock.js';
import { claimRedisDb, type RedisDb } from '../support/redis.js';

const OWNER_ID = '1000000000000000001';

let clock: ManualClock;
let emulator: XEmulator;
let db: RedisDb;
const connections: Redis[] = [];

beforeEach(async () => {
  clock = new ManualClock();
  db = await claimRedisDb();
  emulator = await startXEmulator({ clock });
});
afterEach(async () => {
  for (const redis of connections.splice(0)) redis.disconnect();
  await emulator.close();
  await db.release();
});

const startProcess = async (): Promise<{ client: XClient; costMeter: CostMeter }> => {
  const redis = await connectCoordinationClient(db.url);
  connections.push(redis);
  const shared = createSharedXState(redis, clock);
  const costMeter = new CostMeter(clock, undefined, { shared: shared.spend });
  const client = createXClient({
    apiUrl: emulator.url,
    bearerToken: DEFAULT_BEARER,
    clock,
    rateLimits: new RateLimits(clock, { shared: shared.buckets }),
    costMeter,
    appOwnerId: OWNER_ID,
    timeoutMs: 2_000,
  });
  return { client, costMeter };
};

describe('spend of every kind shared through Redis', () => {
  it('a user billed in one kind of read by one process is not billed again in it by the other, but is in another kind', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const owner = emulator.world.addUser({ id: OWNER_ID, username: 'operator' });
    emulator.setAppOwner(owner.id);
    const crowd = emulator.world.addUsers(12, 'k');
    for (const user of crowd) {
      emulator.world.mutes.add(owner.id, user.id);
      emulator.world.follow(user.id, owner.id);
    }
    const auth = {
      key: owner.id,
      accessToken: emulator.auth.mintTokens(owner.id, DEFAULT_CLIENT_ID, [
        'tweet.read',
        'users.read',
        'follows.read',
        'mute.read',
        'mute.write',
      ]).access_token,
    };

    const aTally: SpendTally = { users: 0, events: 0 };
    const bTally: SpendTally = { users: 0, events: 0 };
    await a.client.muting(auth, { maxResults: 12, tally: aTally });
    await b.client.muting(auth, { maxResults: 12, tally: bTally });
    expect([aTally.users, bTally.users]).toEqual([12, 0]);
    // The same users in the owner's own followers: another kind, billed again.
    await b.client.followers(owner.id, { maxResults: 12, auth, tally: bTally });
    expect(bTally.users).toBe(12);
    await a.client.followers(owner.id, { maxResults: 12, tally: aTally }); // the app's token: full price
    expect(aTally.users).toBe(24);
    await a.client.mute(auth, crowd[0]?.id ?? '');
    await b.client.unmute(auth, crowd[0]?.id ?? '');

    await a.costMeter.share();
    await b.costMeter.share();
    for (const flock of [a, b]) {
      expect(flock.costMeter.today()).toEqual(emulator.billing.day());
      expect(flock.costMeter.today()).toMatchObject({
        readsByKind: { user: 12, owned: 12, block: 0, mute: 12 },
        writesByKind: { follow: 0, mute: 1, unmute: 1 },
      });
    }
  });
});
