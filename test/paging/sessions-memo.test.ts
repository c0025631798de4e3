/**
 * Paging keeps each list's session at hand so a click reads no store, and never lets what it
 * remembers overwrite what another process (here: another Paging on the same store) has written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLocks } from '../../src/coordination/locks.js';
import { decodeCustomId } from '../../src/discord/custom-id.js';
import { ENGLISH } from '../../src/i18n/translate.js';
import { Paging } from '../../src/paging/paging.js';
import { openStore } from '../../src/store/open-store.js';
import { buttons } from '../support/v2-message.js';
import { startXHarness } from '../support/x-harness.js';

const HOUR = 3_600_000;
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

async function setUp() {
  const x = await startXHarness();
  const store = await openStore('sqlite://:memory:');
  closing.push(
    () => store.close(),
    () => x.close(),
  );
  const star = x.emulator.world.addUser({ username: 'star' });
  for (const fan of x.emulator.world.addUsers(60, 'fan')) x.emulator.world.follow(fan.id, star.id);
  const account = await x.client.userById(star.id, { userFields: ['public_metrics'] });
  // Two processes' worth of Paging over one store, with one lock between them (as Redis gives).
  const locks = new LocalLocks();
  const paging = (lock = locks) => new Paging(x.client, store, x.clock, HOUR, lock);
  return {
    account,
    store,
    clock: x.clock,
    a: paging(),
    b: paging(),
    another: () => paging(new LocalLocks()),
  };
}

describe('paging sessions', () => {
  it('turns a remembered list without reading the store', async () => {
    const { account, store, a, another } = await setUp();
    const id = sessionIdOf(await a.open('followers', account, 'owner', null, ENGLISH));
    // Gone from the store, the list still turns where this process opened it: the click read no store.
    await store.namespace('paging-sessions').delete(id);
    expect((await a.turn(id, 0, ENGLISH)).kind).toBe('page');
    expect(await a.check(id, 'owner', 1)).toBeUndefined();
    // A process with only the store finds it expired.
    expect((await another().turn(id, 0, ENGLISH)).kind).toBe('expired');
  });

  it('never forgets pages another process reached when it learns one itself', async () => {
    const { account, a, b, another } = await setUp();
    const id = sessionIdOf(await a.open('followers', account, 'owner', null, ENGLISH));
    // B walks to page 4 (tokens for pages 0–5 known); A still remembers pages 0–1 only.
    for (let page = 1; page <= 4; page++) expect((await b.turn(id, page, ENGLISH)).kind).toBe('page');
    expect(await b.reachablePages(id)).toBe(6);
    // A turns to page 1 and learns page 2's token, which the store already has.
    expect((await a.turn(id, 1, ENGLISH)).kind).toBe('page');
    expect(await another().reachablePages(id)).toBe(6);
    // And A goes to a page only B reached: it asks the store rather than refusing.
    expect(await a.check(id, 'owner', 5)).toBeUndefined();
    expect((await a.turn(id, 5, ENGLISH)).kind).toBe('page');
  });
});

describe('a list opened again', () => {
  /** The session records in the store, counted with the store's own iterator. */
  async function records(store: Awaited<ReturnType<typeof openStore>>): Promise<number> {
    let n = 0;
    for await (const _ of store.namespace('paging-sessions').iterator?.(undefined) ?? []) n += 1;
    return n;
  }

  it('by the same person, soon after, shares the first one’s session: one record, not one a run', async () => {
    const { account, store, a } = await setUp();
    const opened = [];
    for (let n = 0; n < 20; n++)
      opened.push(sessionIdOf(await a.open('followers', account, 'owner', null, ENGLISH)));
    expect(new Set(opened).size).toBe(1);
    expect(await records(store)).toBe(1);
    // Both messages' buttons turn the same list.
    expect((await a.turn(opened[0] ?? '', 1, ENGLISH)).kind).toBe('page');
  });

  it('gets a session of its own for another person, place, list or count, and once the first is older than a hundredth of the expiry', async () => {
    const { account, store, clock, a } = await setUp();
    const open = async (
      owner = 'owner',
      guild: string | null = null,
      list: 'followers' | 'following' = 'followers',
      of = account,
    ) => sessionIdOf(await a.open(list, of, owner, guild, ENGLISH));
    const first = await open();
    const counted = account.public_metrics?.followers_count ?? 0;
    const others = [
      await open('someone else'),
      await open('owner', 'guild-1'),
      await open('owner', null, 'following'),
    ];
    expect(new Set([first, ...others]).size).toBe(4);
    // The expiry here is an hour: a hundredth of it is 36 s.
    clock.advance(35_000);
    expect(await open()).toBe(first);
    clock.advance(1_000);
    const later = await open();
    expect(later).not.toBe(first);
    // X counts one more follower now: the heading the session keeps would be out of date.
    const grown = { ...account, public_metrics: { ...account.public_metrics, followers_count: counted + 1 } };
    expect(await open('owner', null, 'followers', grown as typeof account)).not.toBe(later);
    expect(await records(store)).toBe(6);
  });
});

/** The list's session id, from its buttons' custom_ids. */
function sessionIdOf(page: { components: readonly unknown[] }): string {
  const id = buttons(page).find((b) => b.custom_id)?.custom_id;
  const decoded = id ? decodeCustomId(id) : undefined;
  if (!decoded?.args[0]) throw new Error('no list buttons');
  return decoded.args[0];
}
