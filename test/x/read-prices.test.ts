import { afterEach, describe, expect, it } from 'vitest';
import {
  CostMeter,
  estimateReadMicroUsd,
  type LedgerRecord,
  type SpendTally,
  type UserAuth,
  X_PRICES_MICRO_USD,
} from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

const OWNER_ID = '1000000000000000001';
const SCOPES = ['tweet.read', 'users.read', 'follows.read', 'block.read', 'mute.read', 'mute.write'];

let x: XHarness;
afterEach(() => x.close());

/** An emulator whose app is owned by OWNER_ID, and a client told so (or not). */
const start = async (tellClient = true) => {
  x = await startXHarness({ client: tellClient ? { appOwnerId: OWNER_ID } : {} });
  const owner = x.emulator.world.addUser({ id: OWNER_ID, username: 'operator' });
  x.emulator.setAppOwner(owner.id);
  return owner;
};

const authOf = (user: EmuUser): UserAuth => ({
  key: user.id,
  accessToken: x.emulator.auth.mintTokens(user.id, DEFAULT_CLIENT_ID, SCOPES).access_token,
});

const micro = (spend: { usd: number }) => Math.round(spend.usd * 1_000_000);

describe('reads priced by kind', () => {
  it('prices the app owner’s own follows, its blocks, mutes and mute writes as X bills them', async () => {
    const owner = await start();
    const fans = x.emulator.world.addUsers(20, 'f');
    for (const fan of fans) {
      x.emulator.world.follow(fan.id, owner.id);
      x.emulator.world.mutes.add(owner.id, fan.id);
    }
    x.emulator.world.blocks.add(owner.id, fans[0]?.id ?? '');
    const auth = authOf(owner);

    for await (const _ of x.client.pages('followers', owner.id, { maxResults: 8, auth })) {
      // owned: the owner's own list with its own token
    }
    await x.client.followers(owner.id, { maxResults: 5 }); // the app's token: full price
    await x.client.following(fans[1]?.id ?? '', { maxResults: 5, auth }); // someone else's list: full price
    await x.client.muting(auth, { maxResults: 20 });
    await x.client.blocking(auth, { maxResults: 20 });
    await x.client.mute(auth, fans[2]?.id ?? '');
    await x.client.unmute(auth, fans[2]?.id ?? '');

    const ours = x.costMeter.today();
    expect(ours).toEqual(x.emulator.billing.day());
    expect(ours.readsByKind).toEqual({ user: 6, owned: 20, block: 1, mute: 20 });
    expect(ours.writesByKind).toEqual({ follow: 0, mute: 1, unmute: 1 });
    expect(micro(ours)).toBe(6 * 10_000 + 41 * 1_000 + 15_000 + 5_000);
    expect(x.client.readKind('followers', owner.id, auth)).toBe('owned');
    expect(x.client.readKind('followers', owner.id)).toBe('user');
    expect(x.client.readKind('muting', owner.id, auth)).toBe('mute');
  });

  it('without the app owner’s id, a client prices the owner’s own reads in full: its estimate errs high, never low', async () => {
    const owner = await start(false);
    for (const fan of x.emulator.world.addUsers(10, 'f')) x.emulator.world.follow(fan.id, owner.id);
    await x.client.followers(owner.id, { maxResults: 10, auth: authOf(owner) });
    expect(x.emulator.billing.day().readsByKind.owned).toBe(10);
    expect(x.costMeter.today().readsByKind.user).toBe(10);
    expect(micro(x.costMeter.today())).toBe(10 * micro(x.emulator.billing.day()));
  });

  it('estimates a read from how many users it holds and how many were billed today, as the meter then counts it', async () => {
    const owner = await start();
    const crowd = x.emulator.world.addUsers(30, 'm');
    for (const user of crowd) {
      x.emulator.world.mutes.add(owner.id, user.id);
      x.emulator.world.follow(user.id, owner.id);
    }
    const auth = authOf(owner);
    const seen = await x.client.muting(auth, { maxResults: 12 }); // 12 billed before the estimate
    const before = micro(x.costMeter.today());
    const billed = x.client.billedToday(
      'mute',
      seen.users.map((u) => u.id),
    );
    expect(billed).toBe(12);
    const estimate = x.client.estimate('mute', 30, billed);
    expect(estimate).toBe(18 * X_PRICES_MICRO_USD.muteRead);

    const tally: SpendTally = { users: 0, events: 0 };
    for await (const _ of x.client.mutingPages(auth, { maxResults: 7, tally })) {
      // the whole list
    }
    expect(tally.users).toBe(18);
    expect(micro(x.costMeter.today()) - before).toBe(estimate);
    expect(x.costMeter.today()).toEqual(x.emulator.billing.day());

    // The same for the owner's own followers: no user of theirs billed yet as an owned read.
    const ownedEstimate = x.client.estimate(x.client.readKind('followers', owner.id, auth), 30, 0);
    const beforeOwned = micro(x.emulator.billing.day());
    for await (const _ of x.client.pages('followers', owner.id, { maxResults: 30, auth })) {
      // one page
    }
    expect(micro(x.emulator.billing.day()) - beforeOwned).toBe(ownedEstimate);
    expect(ownedEstimate).toBe(30 * X_PRICES_MICRO_USD.ownedRead);
  });

  it('estimates nothing for users already billed, and never less than nothing', () => {
    expect(estimateReadMicroUsd('user', 10, 3)).toBe(70_000);
    expect(estimateReadMicroUsd('block', 10)).toBe(10_000);
    expect(estimateReadMicroUsd('owned', 5, 9)).toBe(0);
  });

  it('checks the budget at the price of the read to come', async () => {
    x = await startXHarness();
    const meter = new CostMeter(x.clock, 0.02);
    expect(meter.canAfford(2)).toBe(true);
    expect(meter.canAfford(3)).toBe(false);
    expect(meter.canAfford(20, 'mute')).toBe(true);
    expect(meter.canAfford(21, 'mute')).toBe(false);
    meter.recordReads('block', ['1', '2', '3', '4', '5']);
    meter.recordWrite('unmute');
    expect(meter.today().usd).toBe(0.01);
    expect(meter.canAfford(1)).toBe(true);
    expect(meter.canAfford(2)).toBe(false);
  });

  it('keeps every kind across a restart through a ledger, and reads records saved before kinds', async () => {
    x = await startXHarness();
    const saved = new Map<string, LedgerRecord>();
    const ledger = {
      load: async (day: string) => saved.get(day),
      save: async (day: string, record: LedgerRecord) => void saved.set(day, record),
    };
    const before = new CostMeter(x.clock);
    before.recordUsers(['1']);
    before.recordReads('owned', ['1', '2']);
    before.recordReads('mute', ['3']);
    before.recordWrite();
    before.recordWrite('mute');
    await before.persist(ledger);

    const after = new CostMeter(x.clock);
    await after.restore(ledger);
    expect(after.recordReads('owned', ['2', '4'])).toBe(1);
    expect(after.today()).toMatchObject({
      readsByKind: { user: 1, owned: 3, block: 0, mute: 1 },
      writesByKind: { follow: 1, mute: 1, unmute: 0 },
      usd: 0.044,
    });

    saved.set(after.today().day, { userIds: ['9'], writes: 2 });
    const older = new CostMeter(x.clock);
    await older.restore(ledger);
    expect(older.today()).toMatchObject({ billableUsers: 1, writes: 2, usd: 0.04 });
  });
});
