import { afterEach, describe, expect, it } from 'vitest';
import {
  CostMeter,
  type LedgerRecord,
  RateLimits,
  type SpendTally,
  XBudgetExceededError,
} from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
afterEach(() => x.close());

describe('the cost meter', () => {
  it('agrees with the emulator’s billing meter on the same run, de-duplicating per UTC day', async () => {
    x = await startXHarness();
    const world = x.emulator.world;
    const star = world.addUser({ username: 'star' });
    const fans = world.addUsers(120, 'c');
    for (const fan of fans) world.follow(fan.id, star.id);
    for (const fan of fans.slice(0, 30)) world.follow(star.id, fan.id);

    for await (const _ of x.client.pages('followers', star.id, { maxResults: 50 })) {
      // walking the list bills each follower once
    }
    await x.client.followers(star.id, { maxResults: 10 }); // all ten already billed today
    await x.client.following(star.id, { maxResults: 100 }); // overlaps the followers
    await x.client.userByUsername('star');
    await x.client.usersByIds(fans.slice(100, 110).map((f) => f.id));
    const auth = {
      key: fans[0]?.id ?? '',
      accessToken: x.emulator.auth.mintTokens(fans[0]?.id ?? '', DEFAULT_CLIENT_ID, [
        'tweet.read',
        'users.read',
        'follows.write',
      ]).access_token,
    };
    await x.client.follow(auth, fans[0]?.id ?? '', fans[1]?.id ?? '');
    await x.client.unfollow(auth, fans[0]?.id ?? '', fans[1]?.id ?? '');

    const ours = x.costMeter.today();
    const theirs = x.emulator.billing.day();
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ billableUsers: 121, writes: 2, usd: 1.24 });

    // A new UTC day bills the same users again.
    x.clock.set(Date.parse('2026-11-29T00:00:01Z'));
    await x.client.followers(star.id, { maxResults: 5 });
    expect(x.costMeter.today()).toEqual(x.emulator.billing.day());
    expect(x.costMeter.today().billableUsers).toBe(5);
  });

  it('refuses reads once the daily budget is reached, sending nothing, until the next UTC day', async () => {
    x = await startXHarness();
    const meter = new CostMeter(x.clock, 0.1);
    const { createXClient } = await import('../../src/x/index.js');
    const client = createXClient({
      apiUrl: x.emulator.url,
      bearerToken: 'flock-emulator-bearer',
      clock: x.clock,
      costMeter: meter,
      rateLimits: new RateLimits(x.clock),
    });
    const star = x.emulator.world.addUser({ username: 'star' });
    for (const fan of x.emulator.world.addUsers(20, 'b')) x.emulator.world.follow(fan.id, star.id);

    expect(client.canAfford(10)).toBe(true);
    expect(client.canAfford(11)).toBe(false);
    await client.followers(star.id, { maxResults: 10 }); // $0.10: the budget is now spent
    expect(client.canAfford(1)).toBe(false);
    const error = (await client
      .followers(star.id, { maxResults: 10 })
      .catch((e: unknown) => e)) as XBudgetExceededError;
    expect(error).toBeInstanceOf(XBudgetExceededError);
    expect(error.resetAt).toBe(Date.parse('2026-11-29T00:00:00Z'));
    await expect(client.userByUsername('star')).rejects.toBeInstanceOf(XBudgetExceededError);
    expect(x.emulator.requests()).toHaveLength(1);

    x.clock.set(error.resetAt);
    expect((await client.followers(star.id, { maxResults: 10 })).users).toHaveLength(10);
  });

  it('tells a caller what its own calls made newly billable today, through a tally', async () => {
    x = await startXHarness();
    const world = x.emulator.world;
    const star = world.addUser({ username: 'star' });
    const fans = world.addUsers(30, 't');
    for (const fan of fans) world.follow(fan.id, star.id);
    await x.client.followers(star.id, { maxResults: 5 }); // billed before the tally starts

    const tally: SpendTally = { users: 0, events: 0 };
    for await (const _ of x.client.pages('followers', star.id, { maxResults: 10, tally })) {
      // 30 followers, 5 of them already billed today
    }
    expect(tally).toEqual({ users: 25, events: 0 });
    await x.client.userByUsername('star', { tally });
    await x.client.usersByIds(
      fans.slice(0, 12).map((f) => f.id),
      { tally },
    );
    await x.client.userById(fans[0]?.id ?? '', { tally });
    expect(tally.users).toBe(26);
    await x.client.following(fans[0]?.id ?? '', { maxResults: 10 }); // no tally: counted by the meter only
    expect(tally.users).toBe(26);
    expect(x.costMeter.today().billableUsers).toBe(31);

    // Users billed today cost a second caller nothing; a new UTC day bills them again.
    const again: SpendTally = { users: 0, events: 0 };
    await x.client.followers(star.id, { maxResults: 20, tally: again });
    expect(again.users).toBe(0);
    x.clock.set(Date.parse('2026-11-29T00:00:01Z'));
    await x.client.followers(star.id, { maxResults: 20, tally: again });
    expect(again.users).toBe(20);
  });

  it('bills delivered Activity API events through the client, once per event_uuid, into a tally', async () => {
    x = await startXHarness();
    const tally: SpendTally = { users: 0, events: 0 };
    expect(x.client.billEvents(['a', 'b', 'a'], tally)).toBe(2);
    expect(x.client.billEvents(['b', 'c'], tally)).toBe(1);
    expect(x.client.billEvents(['c'])).toBe(0);
    expect(tally).toEqual({ users: 0, events: 3 });
    expect(x.costMeter.today()).toMatchObject({ billableUsers: 0, billableEvents: 3, usd: 0.03 });
  });

  it('keeps today’s figures across a restart through a ledger', async () => {
    x = await startXHarness();
    const saved = new Map<string, { userIds: string[]; writes: number }>();
    const ledger = {
      load: async (day: string) => saved.get(day),
      save: async (day: string, record: { userIds: string[]; writes: number }) => void saved.set(day, record),
    };
    const before = new CostMeter(x.clock, 1);
    before.recordUsers(['1', '2', '3']);
    before.recordWrite();
    await before.persist(ledger);
    const after = new CostMeter(x.clock, 1);
    await after.restore(ledger);
    after.recordUsers(['3', '4']);
    expect(after.today()).toMatchObject({ billableUsers: 4, writes: 1, usd: 0.055 });
  });

  it('bills Activity API events once per UTC day by event_uuid, and keeps them across a restart', async () => {
    x = await startXHarness();
    const saved = new Map<string, LedgerRecord>();
    const ledger = {
      load: async (day: string) => saved.get(day),
      save: async (day: string, record: LedgerRecord) => void saved.set(day, record),
    };
    const before = new CostMeter(x.clock);
    expect(before.recordEvents(['a', 'b', 'a'])).toBe(2);
    expect(before.recordEvents(['b'])).toBe(0);
    await before.persist(ledger);

    const after = new CostMeter(x.clock);
    await after.restore(ledger);
    expect(after.recordEvents(['b', 'c'])).toBe(1);
    expect(after.today()).toMatchObject({ billableEvents: 3, usd: 0.03 });

    x.clock.set(Date.parse('2026-11-29T00:00:00Z'));
    expect(after.recordEvents(['a'])).toBe(1);
    expect(after.today()).toMatchObject({ day: '2026-11-29', billableEvents: 1, usd: 0.01 });
  });
});
