import { afterEach, describe, expect, it } from 'vitest';
import { createXClient, XUnavailableError } from '../../src/x/index.js';
import { DEFAULT_CLIENT_ID } from '../emulators/x/server.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
afterEach(() => x.close());

describe('retries', () => {
  it('a 503 then a 200 succeeds', async () => {
    x = await startXHarness();
    const star = x.emulator.world.addUser({ username: 'star' });
    x.emulator.faults.add({ match: '/followers', status: 503 });
    const page = await x.client.followers(star.id, { maxResults: 5 });
    expect(page.users).toEqual([]);
    expect(x.emulator.requests('/followers').map((r) => r.status)).toEqual([503, 200]);
  });

  it('500, 502 and 504 are retried too, and the retries stop at the limit', async () => {
    x = await startXHarness({ client: { retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 } } });
    const star = x.emulator.world.addUser({ username: 'star' });
    x.emulator.faults.add({ status: 500 });
    x.emulator.faults.add({ status: 502 });
    expect((await x.client.userById(star.id)).username).toBe('star');
    x.emulator.faults.add({ status: 504, times: 5 });
    await expect(x.client.userById(star.id)).rejects.toBeInstanceOf(XUnavailableError);
    expect(x.emulator.requests('GET /2/users/').map((r) => r.status)).toEqual([500, 502, 200, 504, 504, 504]);
  });

  it('a hung request times out and is retried', async () => {
    x = await startXHarness({ client: { timeoutMs: 200 } });
    const star = x.emulator.world.addUser({ username: 'star' });
    x.emulator.faults.add({ match: '/2/users/by/username', hang: true });
    expect((await x.client.userByUsername('star')).id).toBe(star.id);
    expect(x.emulator.log.filter((e) => e.path.includes('/by/username'))).toHaveLength(2);
  });

  it('a dropped connection is retried', async () => {
    x = await startXHarness();
    x.emulator.world.addUser({ username: 'star' });
    x.emulator.faults.add({ match: '/2/users/by/username', drop: true });
    expect((await x.client.userByUsername('star')).username).toBe('star');
  });

  it('follow and unfollow are retried (X makes them idempotent), with one effect', async () => {
    x = await startXHarness();
    const [fan, star] = x.emulator.world.addUsers(2, 'w');
    const auth = {
      key: fan?.id ?? '',
      accessToken: x.emulator.auth.mintTokens(fan?.id ?? '', DEFAULT_CLIENT_ID, [
        'tweet.read',
        'users.read',
        'follows.write',
      ]).access_token,
    };
    x.emulator.faults.add({ match: 'POST', status: 503 });
    expect(await x.client.follow(auth, fan?.id ?? '', star?.id ?? '')).toEqual({
      following: true,
      pendingFollow: false,
    });
    expect(x.emulator.world.count('followers', star?.id ?? '')).toBe(1);
  });

  it('stops retrying once the total time bound has passed', async () => {
    x = await startXHarness();
    x.emulator.world.addUser({ username: 'star' });
    x.emulator.faults.add({ hang: true, times: 10 });
    const started = Date.now();
    // Timeouts run on real time, so this client measures the bound on the system clock.
    const client = createXClient({
      apiUrl: x.emulator.url,
      bearerToken: 'flock-emulator-bearer',
      timeoutMs: 150,
      retry: { limit: 10, baseDelayMs: 1, maxDelayMs: 1, totalMs: 100 },
    });
    await expect(client.userByUsername('star')).rejects.toBeInstanceOf(XUnavailableError);
    expect(x.emulator.log.length).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('never retries a 429', async () => {
    x = await startXHarness();
    x.emulator.faults.add({ status: 429, times: 3 });
    await expect(x.client.userByUsername('star')).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(x.emulator.log).toHaveLength(1);
  });
});
