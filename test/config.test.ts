import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig, parseConfig } from '../src/config.js';

const GOOD = {
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB',
  X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAFlock%2Bbearer',
  X_CLIENT_ID: 'ZmxvY2stY2xpZW50LWlk',
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('configuration', () => {
  it('fills every default from the design', () => {
    const config = parseConfig(GOOD);
    expect(config).toMatchObject({
      discord: {
        token: GOOD.DISCORD_TOKEN,
        applicationId: '123456789012345678',
        guildId: undefined,
        apiUrl: undefined,
        clientSecret: undefined,
        authorizeUrl: 'https://discord.com/oauth2/authorize',
        shards: { count: 1, ids: [0] },
      },
      x: {
        bearerToken: GOOD.X_BEARER_TOKEN,
        clientId: GOOD.X_CLIENT_ID,
        clientSecret: undefined,
        apiUrl: 'https://api.x.com',
        authorizeUrl: 'https://x.com/i/oauth2/authorize',
        dailyBudgetUsd: undefined,
      },
      web: {
        publicUrl: 'http://localhost:3000',
        port: 3000,
        redirectUri: 'http://localhost:3000/oauth/callback',
        discordRedirectUri: 'http://localhost:3000/oauth/discord/callback',
      },
      store: { url: 'sqlite://data/flock.sqlite' },
      tokenEncryptionKey: undefined,
      alerts: { intervalSeconds: 60, maxPerGuild: 25, scanMaxFollowers: 200, source: 'auto' },
      paging: { expiryMs: 168 * 3_600_000 },
      logLevel: 'info',
    });
    expect(config.store.dataDir).toMatch(/\/data$/);
    expect(Object.isFrozen(config.x)).toBe(true);
  });

  it('reads every key', () => {
    const keyBytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1));
    const config = parseConfig({
      ...GOOD,
      DISCORD_GUILD_ID: '123456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:4000/api/',
      DISCORD_CLIENT_SECRET: 'discord-secret',
      DISCORD_AUTHORIZE_URL: 'http://127.0.0.1:4000/oauth2/authorize',
      X_CLIENT_SECRET: 'secret',
      X_API_URL: 'http://127.0.0.1:5000',
      X_AUTHORIZE_URL: 'http://127.0.0.1:5000/i/oauth2/authorize',
      PUBLIC_URL: 'https://flock.example.com/',
      PORT: '8080',
      HOST: '127.0.0.1',
      STORE_URL: 'sqlite:///var/lib/flock/flock.sqlite',
      TOKEN_ENCRYPTION_KEY: keyBytes.toString('base64'),
      X_DAILY_BUDGET_USD: '2.50',
      ALERTS_INTERVAL_SECONDS: '300',
      ALERTS_MAX_PER_GUILD: '5',
      ALERTS_SCAN_MAX_FOLLOWERS: '0',
      ALERTS_SOURCE: 'Poll',
      PAGING_EXPIRY_HOURS: '1.5',
      LOG_LEVEL: 'DEBUG',
      SHARD_COUNT: '4',
      SHARD_IDS: ' 3, 1 ',
    });
    expect(config.discord).toMatchObject({
      apiUrl: 'http://127.0.0.1:4000/api',
      clientSecret: 'discord-secret',
      authorizeUrl: 'http://127.0.0.1:4000/oauth2/authorize',
      shards: { count: 4, ids: [3, 1] },
    });
    expect(config.web).toEqual({
      publicUrl: 'https://flock.example.com',
      port: 8080,
      host: '127.0.0.1',
      redirectUri: 'https://flock.example.com/oauth/callback',
      discordRedirectUri: 'https://flock.example.com/oauth/discord/callback',
    });
    expect(config.store).toEqual({ url: 'sqlite:///var/lib/flock/flock.sqlite', dataDir: '/var/lib/flock' });
    expect(config.tokenEncryptionKey?.equals(keyBytes)).toBe(true);
    expect(config.x.dailyBudgetUsd).toBe(2.5);
    expect(config.alerts).toEqual({
      intervalSeconds: 300,
      maxPerGuild: 5,
      scanMaxFollowers: 0,
      source: 'poll',
    });
    expect(config.paging.expiryMs).toBe(90 * 60_000);
    expect(config.logLevel).toBe('debug');
  });

  it.each([
    [
      { DISCORD_TOKEN: undefined },
      /^DISCORD_TOKEN is missing: set it to the bot token from https:\/\/discord.com/,
    ],
    [{ DISCORD_TOKEN: '' }, /^DISCORD_TOKEN is missing/],
    [{ DISCORD_TOKEN: 'not a token' }, /^DISCORD_TOKEN is malformed/],
    // The first part of a bot token is the application id in base64.
    [
      { DISCORD_TOKEN: 'bm90LWFuLWlk.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB' },
      /^DISCORD_TOKEN is malformed/,
    ],
    [{ DISCORD_CLIENT_SECRET: 'has space' }, /^DISCORD_CLIENT_SECRET is malformed/],
    [{ DISCORD_AUTHORIZE_URL: 'discord.com/oauth2' }, /^DISCORD_AUTHORIZE_URL is "discord.com\/oauth2"/],
    [{ X_BEARER_TOKEN: undefined }, /^X_BEARER_TOKEN is missing: .*Keys and tokens/],
    [{ X_CLIENT_ID: undefined }, /^X_CLIENT_ID is missing: .*OAuth 2.0 Client ID/],
    [{ X_CLIENT_SECRET: 'has space' }, /^X_CLIENT_SECRET is malformed/],
    [{ DISCORD_GUILD_ID: 'abc' }, /^DISCORD_GUILD_ID is "abc": expected a server id/],
    [{ X_API_URL: 'api.x.com' }, /^X_API_URL is "api.x.com": expected an absolute http/],
    [{ PUBLIC_URL: 'ftp://flock' }, /^PUBLIC_URL is "ftp:\/\/flock"/],
    [{ PUBLIC_URL: 'https://flock.example.com/?a=1' }, /without a query/],
    [{ PORT: '70000' }, /^PORT is "70000": expected a whole number from 0 to 65535/],
    [{ PORT: '3e3' }, /^PORT is "3e3"/],
    [{ HOST: 'http://0.0.0.0' }, /^HOST is "http:\/\/0\.0\.0\.0": expected an address to listen on/],
    [{ STORE_URL: 'mysql://u:hunter2@db/flock' }, /^STORE_URL is not a supported store/],
    [
      { TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' },
      /^TOKEN_ENCRYPTION_KEY is malformed: expected 32 random bytes in base64/,
    ],
    [{ TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }, /^TOKEN_ENCRYPTION_KEY is not random/],
    [{ TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }, /^TOKEN_ENCRYPTION_KEY is not random/],
    [{ X_DAILY_BUDGET_USD: '-1' }, /^X_DAILY_BUDGET_USD is "-1": expected a number of at least 0/],
    [
      { ALERTS_INTERVAL_SECONDS: '5' },
      /^ALERTS_INTERVAL_SECONDS is "5": expected a whole number of at least 15/,
    ],
    [{ ALERTS_MAX_PER_GUILD: '0' }, /^ALERTS_MAX_PER_GUILD is "0": expected a whole number of at least 1/],
    [{ PAGING_EXPIRY_HOURS: 'soon' }, /^PAGING_EXPIRY_HOURS is "soon": expected a number of at least 1/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL is "loud": expected one of debug, info, warn, error/],
    [{ ALERTS_SOURCE: 'webhook' }, /^ALERTS_SOURCE is "webhook": expected one of auto, stream, poll/],
    [{ SHARD_COUNT: '0' }, /^SHARD_COUNT is "0": expected a whole number of at least 1/],
    [{ SHARD_COUNT: 'auto' }, /^SHARD_COUNT is "auto": expected a whole number of at least 1/],
    [{ SHARD_IDS: '1' }, /^SHARD_IDS is "1": expected comma-separated shard ids only 0, as SHARD_COUNT is 1/],
    [
      { SHARD_COUNT: '2', SHARD_IDS: '0,2' },
      /^SHARD_IDS is "0,2": expected comma-separated shard ids from 0 to 1 \(SHARD_COUNT is 2\)/,
    ],
    [{ SHARD_COUNT: '3', SHARD_IDS: '0,,1' }, /^SHARD_IDS is "0,,1": expected comma-separated shard ids/],
    [{ SHARD_COUNT: '3', SHARD_IDS: '-1' }, /^SHARD_IDS is "-1": expected comma-separated shard ids/],
    [{ SHARD_COUNT: '3', SHARD_IDS: '1,01' }, /^SHARD_IDS is "1,01": expected each shard id once/],
  ])('stops on %j with one line naming the key', (override, message) => {
    const env = { ...GOOD, ...override };
    const error = (() => {
      try {
        parseConfig(env);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('connects every shard of SHARD_COUNT unless SHARD_IDS names some', () => {
    expect(parseConfig({ ...GOOD, SHARD_COUNT: '3' }).discord.shards).toEqual({ count: 3, ids: [0, 1, 2] });
    expect(parseConfig({ ...GOOD, SHARD_COUNT: '3', SHARD_IDS: '2' }).discord.shards).toEqual({
      count: 3,
      ids: [2],
    });
  });

  it('takes one line of OPERATOR_CONTACT, and refuses line breaks or an essay', () => {
    expect(parseConfig(GOOD).operatorContact).toBeUndefined();
    expect(parseConfig({ ...GOOD, OPERATOR_CONTACT: '  https://discord.gg/flock  ' }).operatorContact).toBe(
      'https://discord.gg/flock',
    );
    expect(() => parseConfig({ ...GOOD, OPERATOR_CONTACT: 'a\n# fake heading' })).toThrow(
      'OPERATOR_CONTACT is too long or has line breaks: give one line of at most 200 characters.',
    );
    expect(() => parseConfig({ ...GOOD, OPERATOR_CONTACT: 'x'.repeat(201) })).toThrow(ConfigError);
  });

  it('never echoes a secret value', () => {
    for (const [key, value] of [
      ['DISCORD_TOKEN', 'secret token with spaces'],
      ['DISCORD_CLIENT_SECRET', 'client secret with spaces'],
      ['X_BEARER_TOKEN', 'bearer with spaces'],
      ['TOKEN_ENCRYPTION_KEY', 'c2VjcmV0LWtleQ=='],
      ['STORE_URL', 'mysql://user:hunter2@db/flock'],
    ]) {
      expect(() => parseConfig({ ...GOOD, [key as string]: value })).toThrow(ConfigError);
      try {
        parseConfig({ ...GOOD, [key as string]: value });
      } catch (error) {
        expect((error as Error).message).not.toContain(value);
      }
    }
  });

  it('warns about plain http on a public host, and about linking being off', () => {
    expect(configWarnings(parseConfig({ ...GOOD, DISCORD_CLIENT_SECRET: 's' }))).toEqual([]);
    expect(
      configWarnings(parseConfig({ ...GOOD, DISCORD_CLIENT_SECRET: 's', PUBLIC_URL: 'http://[::1]:3000' })),
    ).toEqual([]);
    const warnings = configWarnings(parseConfig({ ...GOOD, PUBLIC_URL: 'http://flock.example.com' }));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^PUBLIC_URL is plain http on flock\.example\.com, so \/link and Linked Roles are off: .* reverse proxy with https/,
      ),
      expect.stringMatching(/^DISCORD_CLIENT_SECRET is not set, so \/link and Linked Roles are off/),
    ]);
  });

  it('reads .env when present, and the real environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flock-config-'));
    dirs.push(dir);
    const file = join(dir, '.env');
    writeFileSync(
      file,
      `# comment\nDISCORD_TOKEN=${GOOD.DISCORD_TOKEN}\nX_BEARER_TOKEN="from-file"\nX_CLIENT_ID=${GOOD.X_CLIENT_ID}\nPORT=4000\n`,
    );
    const config = loadConfig({ envFile: file, env: { X_BEARER_TOKEN: 'from-env', PATH: '/usr/bin' } });
    expect(config.x.bearerToken).toBe('from-env');
    expect(config.web.port).toBe(4000);
    expect(loadConfig({ envFile: join(dir, 'absent.env'), env: GOOD }).x.clientId).toBe(GOOD.X_CLIENT_ID);
  });
});
