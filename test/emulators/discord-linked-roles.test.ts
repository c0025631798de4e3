/** The Discord emulator's Linked Roles: metadata records, users' role connections, requirements. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordUser } from './discord/guilds.js';
import { type DiscordEmulator, startDiscordEmulator } from './discord/server.js';
import { CALLBACK, oauthClient } from './discord-oauth-helpers.js';

let discord: DiscordEmulator;
let client: ReturnType<typeof oauthClient>;
let alice: DiscordUser;
let bob: DiscordUser;

beforeEach(async () => {
  discord = await startDiscordEmulator();
  discord.redirectUris.push(CALLBACK);
  client = oauthClient(discord);
  alice = discord.addUser('alice');
  bob = discord.addUser('bob');
});
afterEach(() => discord.close());

const record = (key: string, type: number) => ({
  type,
  key,
  name: `The ${key}`,
  description: `What ${key} is`,
});
const metadataPath = () => `/applications/${discord.applicationId}/role-connections/metadata`;
const connectionPath = () => `/users/@me/applications/${discord.applicationId}/role-connection`;
const putMetadata = (body: unknown) => client.api('PUT', metadataPath(), discord.token, body, 'Bot');
const INVALID = { code: 50035, message: 'Invalid Form Body' };

describe('Linked Roles metadata', () => {
  it('saves up to five valid records and returns them', async () => {
    const records = [
      record('followers', 2),
      record('following', 1),
      {
        ...record('created', 6),
        name_localizations: { fr: 'Créé' },
        description_localizations: { de: 'Erstellt' },
      },
      record('verified', 7),
      record('tier_9', 3),
    ];
    expect(await putMetadata(records)).toEqual({ status: 200, body: records });
    expect(await client.api('GET', metadataPath(), discord.token, undefined, 'Bot')).toEqual({
      status: 200,
      body: records,
    });
    expect(discord.roleConnectionMetadata).toEqual(records);
    expect((await putMetadata([record('followers', 2)])).status).toBe(200);
    expect(discord.roleConnectionMetadata).toEqual([record('followers', 2)]);
  });

  it('refuses invalid records with 50035 and an errors tree shaped like the body', async () => {
    const ok = record('followers', 2);
    const cases: [unknown, Record<string, unknown>][] = [
      [{ ...ok }, { _errors: [{ code: 'LIST_TYPE_CONVERT' }] }],
      [[1, 2, 3, 4, 5, 6].map((n) => record(`k${n}`, 2)), { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] }],
      [[{ ...ok, type: 9 }], { 0: { type: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } }],
      [[{ ...ok, type: undefined }], { 0: { type: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } }],
      [[{ ...ok, key: 'Followers' }], { 0: { key: { _errors: [{ code: 'STRING_TYPE_REGEX' }] } } }],
      [[{ ...ok, key: 'k'.repeat(51) }], { 0: { key: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } }],
      [[{ ...ok, name: '' }], { 0: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } }],
      [[{ ...ok, name: 'n'.repeat(101) }], { 0: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } }],
      [
        [{ ...ok, description: 'd'.repeat(201) }],
        { 0: { description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
      ],
      [
        [{ ...ok, description: undefined }],
        { 0: { description: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } },
      ],
      [[ok, { ...record('followers', 1) }], { 1: { key: { _errors: [{ code: 'DUPLICATE_KEY' }] } } }],
      [
        [{ ...ok, name_localizations: { fr: 'x'.repeat(101) } }],
        { 0: { name_localizations: { fr: { _errors: [{}] } } } },
      ],
      [
        [{ ...ok, description_localizations: { xx: 'y' } }],
        { 0: { description_localizations: { xx: { _errors: [{}] } } } },
      ],
    ];
    for (const [body, errors] of cases) {
      const answer = await putMetadata(body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body).toMatchObject({ ...INVALID, errors });
    }
    expect(discord.roleConnectionMetadata).toEqual([]);
    expect(
      (
        await putMetadata([
          ok,
          { ...ok, key: 'k'.repeat(50), name: 'n'.repeat(100), description: 'd'.repeat(200) },
        ])
      ).status,
    ).toBe(200);
  });

  it('takes only the bot token, and only for its own application', async () => {
    const tokens = await client.link(alice);
    expect((await client.api('PUT', metadataPath(), undefined, [])).status).toBe(401);
    expect((await client.api('PUT', metadataPath(), tokens.access_token, [])).status).toBe(401);
    expect((await client.api('GET', metadataPath(), tokens.access_token)).status).toBe(401);
    const other = await client.api(
      'PUT',
      '/applications/1234/role-connections/metadata',
      discord.token,
      [],
      'Bot',
    );
    expect(other).toEqual({ status: 403, body: { code: 50001, message: 'Missing Access' } });
  });
});

describe('a user’s role connection', () => {
  beforeEach(async () => {
    await putMetadata([
      record('followers', 2),
      record('created', 6),
      record('verified', 7),
      record('banned', 8),
    ]);
  });

  it('is written, read and cleared with the user’s own token', async () => {
    const tokens = await client.link(alice);
    const body = {
      platform_name: 'X',
      platform_username: 'alice_x',
      metadata: { followers: 1500, created: '2020-01-02T03:04:05Z', verified: true, banned: '0' },
    };
    const stored = {
      platform_name: 'X',
      platform_username: 'alice_x',
      metadata: { followers: '1500', created: '2020-01-02T03:04:05Z', verified: '1', banned: '0' },
    };
    expect(await client.api('PUT', connectionPath(), tokens.access_token, body)).toEqual({
      status: 200,
      body: stored,
    });
    expect(await client.api('GET', connectionPath(), tokens.access_token)).toEqual({
      status: 200,
      body: stored,
    });
    expect(discord.roleConnections.get(alice.id)).toEqual(stored);
    const bobs = await client.link(bob);
    const empty = { platform_name: null, platform_username: null, metadata: {} };
    expect(await client.api('GET', connectionPath(), bobs.access_token)).toEqual({
      status: 200,
      body: empty,
    });

    // PUT replaces the whole connection.
    await client.api('PUT', connectionPath(), tokens.access_token, { metadata: { followers: '-3' } });
    expect(discord.roleConnections.get(alice.id)).toEqual({ ...empty, metadata: { followers: '-3' } });
    expect(await client.api('DELETE', connectionPath(), tokens.access_token)).toEqual({
      status: 204,
      body: undefined,
    });
    expect(await client.api('GET', connectionPath(), tokens.access_token)).toEqual({
      status: 200,
      body: empty,
    });
    expect(discord.roleConnections.has(alice.id)).toBe(false);
  });

  it('needs a live token with role_connections.write, for this application', async () => {
    const identifyOnly = await client.link(alice, 'identify');
    const full = await client.link(bob);
    const body = { platform_name: 'X' };
    for (const method of ['GET', 'PUT', 'DELETE']) {
      expect(
        await client.api(
          method,
          connectionPath(),
          identifyOnly.access_token,
          method === 'PUT' ? body : undefined,
        ),
        method,
      ).toEqual({
        status: 401,
        body: { message: '401: Unauthorized', code: 0 },
      });
    }
    expect((await client.api('PUT', connectionPath(), undefined, body)).status).toBe(401);
    expect((await client.api('PUT', connectionPath(), discord.token, body, 'Bot')).status).toBe(401);
    expect(
      (await client.api('PUT', '/users/@me/applications/1234/role-connection', full.access_token, body))
        .status,
    ).toBe(401);
    expect(discord.roleConnections.size).toBe(0);
    expect((await client.api('PUT', connectionPath(), full.access_token, body)).status).toBe(200);
    await client.postForm('/oauth2/token/revoke', { token: full.access_token });
    expect((await client.api('PUT', connectionPath(), full.access_token, body)).status).toBe(401);
  });

  it('refuses values that do not fit their registered type with 50035', async () => {
    const tokens = await client.link(alice);
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { metadata: { unknown_key: 1 } },
        { metadata: { unknown_key: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } },
      ],
      [
        { metadata: { followers: 'many' } },
        { metadata: { followers: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } } },
      ],
      [
        { metadata: { followers: 1.5 } },
        { metadata: { followers: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } } },
      ],
      [
        { metadata: { followers: '9'.repeat(20) } },
        { metadata: { followers: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } } },
      ],
      [
        { metadata: { followers: '1'.repeat(101) } },
        { metadata: { followers: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
      ],
      [
        { metadata: { followers: true } },
        { metadata: { followers: { _errors: [{ code: 'STRING_TYPE_CONVERT' }] } } },
      ],
      [
        { metadata: { created: 'yesterday' } },
        { metadata: { created: { _errors: [{ code: 'DATE_TYPE_PARSE' }] } } },
      ],
      [
        { metadata: { created: '2024-13-01' } },
        { metadata: { created: { _errors: [{ code: 'DATE_TYPE_PARSE' }] } } },
      ],
      [
        { metadata: { verified: 'yes' } },
        { metadata: { verified: { _errors: [{ code: 'BOOLEAN_TYPE_COERCE' }] } } },
      ],
      [
        { metadata: { verified: 2 } },
        { metadata: { verified: { _errors: [{ code: 'BOOLEAN_TYPE_COERCE' }] } } },
      ],
      [{ metadata: ['followers'] }, { metadata: { _errors: [{ code: 'DICT_TYPE_CONVERT' }] } }],
      [{ platform_name: 'p'.repeat(51) }, { platform_name: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } }],
      [
        { platform_username: 'u'.repeat(101) },
        { platform_username: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } },
      ],
    ];
    for (const [body, errors] of cases) {
      const answer = await client.api('PUT', connectionPath(), tokens.access_token, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body).toMatchObject({ ...INVALID, errors });
    }
    expect(discord.roleConnections.size).toBe(0);
    const edge = {
      platform_name: 'p'.repeat(50),
      platform_username: 'u'.repeat(100),
      metadata: { followers: '9'.repeat(18), created: '2024-02-29', verified: false, banned: 1 },
    };
    const saved = await client.api('PUT', connectionPath(), tokens.access_token, edge);
    expect(saved.status).toBe(200);
    expect(saved.body?.metadata).toEqual({
      followers: '9'.repeat(18),
      created: '2024-02-29',
      verified: '0',
      banned: '1',
    });
  });

  it('answers DELETE with 405 under the fault, and a PUT of nothing still clears it', async () => {
    const tokens = await client.link(alice);
    await client.api('PUT', connectionPath(), tokens.access_token, {
      platform_name: 'X',
      metadata: { followers: 5 },
    });
    discord.roleConnectionDeleteSupported = false;
    expect(await client.api('DELETE', connectionPath(), tokens.access_token)).toEqual({
      status: 405,
      body: { message: '405: Method Not Allowed', code: 0 },
    });
    expect(discord.roleConnections.has(alice.id)).toBe(true);
    const cleared = { platform_name: null, platform_username: null, metadata: {} };
    expect(await client.api('PUT', connectionPath(), tokens.access_token, cleared)).toEqual({
      status: 200,
      body: cleared,
    });
    expect(discord.roleConnections.has(alice.id)).toBe(false);
  });
});

describe('meetsRoleRequirement', () => {
  const write = async (user: DiscordUser, metadata: Record<string, unknown>) => {
    const tokens = await client.link(user);
    expect((await client.api('PUT', connectionPath(), tokens.access_token, { metadata })).status).toBe(200);
  };

  it('compares integers and booleans as a server’s linked role does', async () => {
    await putMetadata([
      record('followers', 2),
      record('following', 1),
      record('tier', 3),
      record('region', 4),
      record('verified', 7),
    ]);
    await write(alice, { followers: 1000, following: 50, tier: 2, region: 3, verified: true });
    await write(bob, { followers: 999, following: 51, tier: 1, region: 4, verified: false });
    const carol = discord.addUser('carol');
    const requirements = [
      { key: 'followers', type: 2, value: 1000 },
      { key: 'following', type: 1, value: 50 },
      { key: 'tier', type: 3, value: 2 },
      { key: 'region', type: 4, value: 4 },
      { key: 'verified', type: 7, value: 1 },
    ];
    for (const requirement of requirements) {
      expect(discord.meetsRoleRequirement(alice.id, requirement), requirement.key).toBe(true);
      expect(discord.meetsRoleRequirement(bob.id, requirement), requirement.key).toBe(false);
      // No value at all meets nothing, "not equal" included.
      expect(discord.meetsRoleRequirement(carol.id, requirement), requirement.key).toBe(false);
    }
    expect(() => discord.meetsRoleRequirement(alice.id, { key: 'followers', type: 1, value: 5 })).toThrow();
    expect(() => discord.meetsRoleRequirement(alice.id, { key: 'karma', type: 2, value: 5 })).toThrow();
  });

  it('compares dates by the days since them, and boolean “not equal”', async () => {
    const now = Date.parse('2026-01-31T00:00:00Z');
    discord.now = () => now;
    await putMetadata([record('account_created', 6), record('last_post', 5), record('banned', 8)]);
    await write(alice, { account_created: '2026-01-01T00:00:00Z', last_post: '2026-01-30', banned: false });
    await write(bob, { account_created: '2026-01-02T00:00:00Z', last_post: '2026-01-20', banned: '1' });
    const requirements = [
      { key: 'account_created', type: 6, value: 30 },
      { key: 'last_post', type: 5, value: 7 },
      { key: 'banned', type: 8, value: 1 },
    ];
    for (const requirement of requirements) {
      expect(discord.meetsRoleRequirement(alice.id, requirement), requirement.key).toBe(true);
      expect(discord.meetsRoleRequirement(bob.id, requirement), requirement.key).toBe(false);
    }
  });
});
