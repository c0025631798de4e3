import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserPage } from '../../src/x/index.js';
import type { EmuUser } from '../emulators/x/world.js';
import { startXHarness, type XHarness } from '../support/x-harness.js';

let x: XHarness;
let star: EmuUser;
let fans: EmuUser[];

function seed(count: number) {
  star = x.emulator.world.addUser({ username: 'star' });
  fans = x.emulator.world.addUsers(count, 'f');
  const start = x.clock.now() - count * 1000;
  for (const [n, fan] of fans.entries()) x.emulator.world.follow(fan.id, star.id, start + n * 1000);
}

beforeEach(async () => {
  x = await startXHarness();
});
afterEach(() => x.close());

describe('pagination', () => {
  it('walks 2,500 followers with page size 1000 in exactly 3 requests', async () => {
    seed(2500);
    const seen: string[] = [];
    for await (const page of x.client.pages('followers', star.id, { maxResults: 1000 })) {
      seen.push(...page.users.map((u) => u.id));
    }
    expect(seen).toHaveLength(2500);
    expect(new Set(seen).size).toBe(2500);
    expect(seen[0]).toBe(fans[2499]?.id);
    expect(x.emulator.requests('/followers')).toHaveLength(3);
  });

  it('goes forward and back with next and previous tokens', async () => {
    seed(25);
    const first = await x.client.followers(star.id, { maxResults: 10 });
    expect(first.previousToken).toBeUndefined();
    expect(first.nextToken?.length).toBeGreaterThanOrEqual(16);
    const second = await x.client.followers(star.id, { maxResults: 10, paginationToken: first.nextToken });
    const third = await x.client.followers(star.id, { maxResults: 10, paginationToken: second.nextToken });
    expect(third.users).toHaveLength(5);
    expect(third.nextToken).toBeUndefined();
    const back = await x.client.followers(star.id, { maxResults: 10, paginationToken: third.previousToken });
    expect(back.users.map((u) => u.id)).toEqual(second.users.map((u) => u.id));
    const home = await x.client.followers(star.id, { maxResults: 10, paginationToken: second.previousToken });
    expect(home.users.map((u) => u.id)).toEqual(first.users.map((u) => u.id));
    expect(home.users[0]?.username).toBe('f24');
  });

  it('keeps going past a short page while X says more remain', async () => {
    seed(30);
    for (const fan of fans.slice(20, 30)) fan.state = 'suspended';
    const pages: UserPage[] = [];
    for await (const page of x.client.pages('followers', star.id, { maxResults: 10 })) pages.push(page);
    expect(pages.map((p) => p.users.length)).toEqual([0, 10, 10]);
  });

  it('stops cleanly when a page fails, and resumes from the token it had', async () => {
    seed(30);
    const iterator = x.client.pages('followers', star.id, { maxResults: 10 });
    const first = await iterator.next();
    x.emulator.faults.add({ match: '/followers', status: 503, times: 10 });
    await expect(iterator.next()).rejects.toMatchObject({ kind: 'unavailable' });
    expect((await iterator.next()).done).toBe(true);
    x.emulator.faults.clear();
    const token = first.done ? undefined : first.value.nextToken;
    const resumed = await x.client.followers(star.id, { maxResults: 10, paginationToken: token });
    expect(resumed.users[0]?.username).toBe('f19');
  });

  it('refuses an unknown or expired pagination token as an invalid request', async () => {
    seed(15);
    await expect(
      x.client.followers(star.id, { maxResults: 10, paginationToken: 'x'.repeat(20) }),
    ).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    const first = await x.client.followers(star.id, { maxResults: 10 });
    x.clock.advance(x.emulator.settings.paginationTokenTtlMs + 1);
    await expect(
      x.client.followers(star.id, { maxResults: 10, paginationToken: first.nextToken }),
    ).rejects.toMatchObject({
      kind: 'invalid-request',
    });
  });
});
