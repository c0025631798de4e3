/** The X emulator's blocks, mutes and owned reads, checked over raw HTTP against the reference. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, startXEmulator, type XEmulator } from './x/server.js';
import type { EmuUser } from './x/world.js';

const READ_SCOPES = ['tweet.read', 'users.read', 'block.read', 'mute.read'];
const ALL_SCOPES = [...READ_SCOPES, 'mute.write', 'follows.read'];

let emulator: XEmulator;
let clock: ManualClock;
let owner: EmuUser;
let others: EmuUser[];

beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startXEmulator({ clock });
  owner = emulator.world.addUser({ username: 'owner' });
  others = emulator.world.addUsers(5, 'other');
});
afterEach(() => emulator.close());

const tokenFor = (user: EmuUser, scopes = ALL_SCOPES) =>
  emulator.auth.mintTokens(user.id, DEFAULT_CLIENT_ID, scopes).access_token;

const call = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const ids = (body: unknown) => ((body as { data?: { id: string }[] }).data ?? []).map((u) => u.id);

describe('the X emulator’s blocks and mutes', () => {
  it('lists an account’s blocks and mutes newest first, paged like the follows lists, for its own token only', async () => {
    for (const [n, other] of others.entries()) emulator.world.mutes.add(owner.id, other.id, clock.now() + n);
    emulator.world.block(owner.id, others[0]?.id ?? '');
    const token = tokenFor(owner);

    const first = await call('GET', `/2/users/${owner.id}/muting?max_results=2&user.fields=verified`, token);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { data: { id: string }[]; meta: { next_token: string } };
    expect(ids(body)).toEqual([others[4]?.id, others[3]?.id]);
    expect(body.data[0]).toEqual({ id: others[4]?.id, name: 'other 4', username: 'other4', verified: false });
    expect(body.meta).toMatchObject({ result_count: 2 });
    const second = await call(
      'GET',
      `/2/users/${owner.id}/muting?max_results=2&pagination_token=${body.meta.next_token}`,
      token,
    );
    expect(await second.json()).toMatchObject({
      meta: { result_count: 2, previous_token: expect.any(String) },
    });
    // A token from one list is no good on another.
    const crossed = await call(
      'GET',
      `/2/users/${owner.id}/blocking?pagination_token=${body.meta.next_token}`,
      token,
    );
    expect(crossed.status).toBe(400);
    expect(ids(await (await call('GET', `/2/users/${owner.id}/blocking`, token)).json())).toEqual([
      others[0]?.id,
    ]);
    expect(
      await (await call('GET', `/2/users/${others[1]?.id}/blocking`, tokenFor(others[1] as EmuUser))).json(),
    ).toEqual({
      meta: { result_count: 0 },
    });
    expect((await call('GET', `/2/users/${owner.id}/muting?max_results=1001`, token)).status).toBe(400);
  });

  it('refuses another account’s :id, a token without the read scope, and the app’s Bearer token', async () => {
    const other = others[0] as EmuUser;
    const wrong = await call('GET', `/2/users/${other.id}/muting`, tokenFor(owner));
    expect(wrong.status).toBe(403);
    const unscoped = await call(
      'GET',
      `/2/users/${owner.id}/muting`,
      tokenFor(owner, ['tweet.read', 'users.read']),
    );
    expect(unscoped.status).toBe(403);
    expect(await unscoped.json()).toMatchObject({ title: 'Forbidden' });
    const blockScoped = tokenFor(owner, ['tweet.read', 'users.read', 'block.read']);
    expect((await call('GET', `/2/users/${owner.id}/blocking`, blockScoped)).status).toBe(200);
    expect((await call('GET', `/2/users/${owner.id}/muting`, blockScoped)).status).toBe(403);
    const app = await call('GET', `/2/users/${owner.id}/blocking`, DEFAULT_BEARER);
    expect(await app.json()).toMatchObject({
      type: 'https://api.x.com/2/problems/unsupported-authentication',
    });
  });

  it('mutes and unmutes with mute.write, and repeating either changes nothing', async () => {
    const target = others[2] as EmuUser;
    const token = tokenFor(owner);
    for (let n = 0; n < 2; n += 1) {
      const muted = await call('POST', `/2/users/${owner.id}/muting`, token, { target_user_id: target.id });
      expect(await muted.json()).toEqual({ data: { muting: true } });
      expect(emulator.world.mutes.has(owner.id, target.id)).toBe(true);
    }
    const seen = await call('GET', `/2/users/${target.id}?user.fields=connection_status`, token);
    expect(await seen.json()).toMatchObject({ data: { connection_status: ['muting'] } });
    for (let n = 0; n < 2; n += 1) {
      const unmuted = await call('DELETE', `/2/users/${owner.id}/muting/${target.id}`, token);
      expect(await unmuted.json()).toEqual({ data: { muting: false } });
      expect(emulator.world.mutes.has(owner.id, target.id)).toBe(false);
    }
    const readOnly = tokenFor(owner, READ_SCOPES);
    expect(
      (await call('POST', `/2/users/${owner.id}/muting`, readOnly, { target_user_id: target.id })).status,
    ).toBe(403);
    expect((await call('DELETE', `/2/users/${target.id}/muting/${owner.id}`, token)).status).toBe(403);
  });

  it('refuses block writes to every self-serve plan, and mute writes once the plan lacks them', async () => {
    const token = tokenFor(owner, [...ALL_SCOPES, 'block.write']);
    const target = others[0]?.id ?? '';
    for (const refused of [
      await call('POST', `/2/users/${owner.id}/blocking`, token, { target_user_id: target }),
      await call('DELETE', `/2/users/${owner.id}/blocking/${target}`, token),
    ]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ reason: 'client-not-enrolled' });
    }
    emulator.removeMuteEndpoints();
    const mute = await call('POST', `/2/users/${owner.id}/muting`, token, { target_user_id: target });
    expect(await mute.json()).toMatchObject({ reason: 'client-not-enrolled' });
    expect((await call('DELETE', `/2/users/${owner.id}/muting/${target}`, token)).status).toBe(403);
    expect(emulator.world.blocks.has(owner.id, target)).toBe(false);
    expect(emulator.billing.day().writes).toBe(0);
  });

  it('allows 15 reads of each list per user per 15 minutes, with the usual headers', async () => {
    const token = tokenFor(owner);
    for (let n = 1; n <= 15; n += 1) {
      const res = await call('GET', `/2/users/${owner.id}/blocking`, token);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-rate-limit-limit')).toBe('15');
      expect(res.headers.get('x-rate-limit-remaining')).toBe(String(15 - n));
    }
    const refused = await call('GET', `/2/users/${owner.id}/blocking`, token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('x-rate-limit-reset'))).toBe(Math.ceil((clock.now() + 900_000) / 1000));
    // Mutes are a bucket of their own, and so is every other user.
    expect((await call('GET', `/2/users/${owner.id}/muting`, token)).status).toBe(200);
    const other = others[0] as EmuUser;
    expect((await call('GET', `/2/users/${other.id}/blocking`, tokenFor(other))).status).toBe(200);
    clock.advance(15 * 60_000);
    expect((await call('GET', `/2/users/${owner.id}/blocking`, token)).status).toBe(200);
  });

  it('bills block and mute reads, mute writes, and the app owner’s own follows reads at their prices', async () => {
    for (const other of others) {
      emulator.world.follow(other.id, owner.id);
      emulator.world.mutes.add(owner.id, other.id);
    }
    emulator.world.blocks.add(owner.id, others[0]?.id ?? '');
    const token = tokenFor(owner);
    await call('GET', `/2/users/${owner.id}/muting`, token);
    await call('GET', `/2/users/${owner.id}/muting?max_results=2`, token); // billed once a day
    await call('GET', `/2/users/${owner.id}/blocking`, token);
    await call('POST', `/2/users/${owner.id}/muting`, token, { target_user_id: others[0]?.id });
    await call('DELETE', `/2/users/${owner.id}/muting/${others[0]?.id}`, token);
    // Not the owner yet: a full-price read.
    await call('GET', `/2/users/${owner.id}/followers?max_results=2`, token);
    emulator.setAppOwner(owner.id);
    await call('GET', `/2/users/${owner.id}/followers`, token);
    // The owner's list with the app's token, and someone else's list with the owner's: full price.
    await call('GET', `/2/users/${owner.id}/followers?max_results=3`, DEFAULT_BEARER);
    await call('GET', `/2/users/${others[1]?.id}/following`, token);

    expect(emulator.billing.day()).toEqual({
      day: '2026-11-28',
      billableUsers: 4 + 5 + 1 + 5,
      writes: 2,
      billableEvents: 0,
      readsByKind: { user: 3 + 1, owned: 5, block: 1, mute: 5 },
      writesByKind: { follow: 0, mute: 1, unmute: 1 },
      // 4 × $0.010, 11 × $0.001, mute $0.015, unmute $0.005
      usd: 0.071,
    });
  });
});
