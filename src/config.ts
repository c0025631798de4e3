/**
 * The only reader of the environment. `loadConfig` validates every key of the configuration
 * table once, at start-up, and returns a frozen object that is passed down; a bad or missing
 * key stops start-up with one line naming it and saying how to get a good value. Values of
 * secret keys never appear in those lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { LOG_LEVELS, type LogLevel } from './log.js';

export interface Config {
  readonly discord: {
    readonly token: string;
    /** The application's id (also its OAuth2 client id), read from the token as Discord makes it. */
    readonly applicationId: string;
    readonly guildId: string | undefined;
    /** REST base handed to discord.js (`rest.api`); undefined means Discord's own. */
    readonly apiUrl: string | undefined;
    /** The application's OAuth2 client secret; without it the web flow cannot sign anyone in. */
    readonly clientSecret: string | undefined;
    /** Discord's consent page for "Sign in with Discord". */
    readonly authorizeUrl: string;
    /** Gateway shards: how many the bot runs in all, and the ids this process connects. */
    readonly shards: { readonly count: number; readonly ids: readonly number[] };
  };
  readonly x: {
    readonly bearerToken: string;
    readonly clientId: string;
    readonly clientSecret: string | undefined;
    readonly apiUrl: string;
    readonly authorizeUrl: string;
    readonly dailyBudgetUsd: number | undefined;
    /**
     * The X user id of the account that owns the developer app: its own followers and following,
     * read with its own linked token, are owned reads ($0.001 a user instead of $0.010).
     */
    readonly appOwnerId: string | undefined;
  };
  readonly web: {
    readonly publicUrl: string;
    readonly port: number;
    /** The address the web server listens on; undefined for every interface. */
    readonly host: string | undefined;
    /** X's redirect URI. */
    readonly redirectUri: string;
    /** Discord's redirect URI. */
    readonly discordRedirectUri: string;
  };
  readonly store: {
    readonly url: string;
    /** Where files Flock makes for itself live (the SQLite file, a generated encryption key). */
    readonly dataDir: string;
  };
  /** 32 bytes, or undefined when Flock should generate and keep one in the data folder. */
  readonly tokenEncryptionKey: Buffer | undefined;
  readonly alerts: {
    readonly intervalSeconds: number;
    /** Subscriptions one guild may have. */
    readonly maxPerGuild: number;
    /** Accounts up to this many followers may get a daily full scan to name who left. */
    readonly scanMaxFollowers: number;
    /** Where follow events come from: X's Activity stream where it serves (auto), only it, or polling. */
    readonly source: AlertsSource;
  };
  /** How long the buttons of a paged list keep working. */
  readonly paging: { readonly expiryMs: number };
  /** /insights and /export: what one Discord user may spend on X reads in a UTC day, in dollars. */
  readonly insights: { readonly userDailyUsd: number };
  readonly logLevel: LogLevel;
  /** How users reach the person who runs this Flock (shown by /help), if given. */
  readonly operatorContact: string | undefined;
}

export const ALERTS_SOURCES = ['auto', 'stream', 'poll'] as const;
export type AlertsSource = (typeof ALERTS_SOURCES)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** The real environment; wins over the file. */
  env?: Env;
  /** A dotenv file read when present. */
  envFile?: string;
}

const DISCORD_PORTAL = 'https://discord.com/developers/applications';
const X_PORTAL = 'https://developer.x.com/en/portal/dashboard';

/** Reads `.env` (when present) under the real environment and validates the result. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const envFile = options.envFile ?? '.env';
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return parseConfig({ ...fromFile, ...definedOnly(options.env ?? process.env) });
}

function definedOnly(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** Validates an already-merged environment. */
export function parseConfig(env: Env): Config {
  const read = (key: string) => {
    const value = env[key]?.trim();
    return value === '' ? undefined : value;
  };

  const storeUrl = storeUrlOf(read('STORE_URL') ?? 'sqlite://data/flock.sqlite');
  const discordToken = required(
    'DISCORD_TOKEN',
    read('DISCORD_TOKEN'),
    `the bot token from ${DISCORD_PORTAL} → your application → Bot → Reset Token`,
    /^[\w-]+\.[\w-]+\.[\w-]+$/,
  );
  const publicUrl = httpUrl('PUBLIC_URL', read('PUBLIC_URL') ?? 'http://localhost:3000').replace(/\/+$/, '');
  const shardCount = optionalNumber('SHARD_COUNT', read('SHARD_COUNT'), { min: 1, integer: true }) ?? 1;
  const config: Config = {
    discord: {
      token: discordToken,
      applicationId: applicationIdOf(discordToken),
      guildId: optionalMatch(
        'DISCORD_GUILD_ID',
        read('DISCORD_GUILD_ID'),
        /^\d{17,20}$/,
        'a server id (17–20 digits): enable Developer Mode, right-click the server, Copy Server ID',
      ),
      apiUrl: optionalUrl('DISCORD_API_URL', read('DISCORD_API_URL')),
      clientSecret: optionalSecret('DISCORD_CLIENT_SECRET', read('DISCORD_CLIENT_SECRET')),
      authorizeUrl: httpUrl(
        'DISCORD_AUTHORIZE_URL',
        read('DISCORD_AUTHORIZE_URL') ?? 'https://discord.com/oauth2/authorize',
      ),
      shards: { count: shardCount, ids: shardIds(read('SHARD_IDS'), shardCount) },
    },
    x: {
      bearerToken: required(
        'X_BEARER_TOKEN',
        read('X_BEARER_TOKEN'),
        `the app's Bearer Token from ${X_PORTAL} → your app → Keys and tokens`,
        /^\S+$/,
      ),
      clientId: required(
        'X_CLIENT_ID',
        read('X_CLIENT_ID'),
        `the OAuth 2.0 Client ID from ${X_PORTAL} → your app → Keys and tokens`,
        /^\S+$/,
      ),
      clientSecret: optionalSecret('X_CLIENT_SECRET', read('X_CLIENT_SECRET')),
      apiUrl: httpUrl('X_API_URL', read('X_API_URL') ?? 'https://api.x.com').replace(/\/+$/, ''),
      authorizeUrl: httpUrl('X_AUTHORIZE_URL', read('X_AUTHORIZE_URL') ?? 'https://x.com/i/oauth2/authorize'),
      dailyBudgetUsd: optionalNumber('X_DAILY_BUDGET_USD', read('X_DAILY_BUDGET_USD'), {
        min: 0,
        integer: false,
      }),
      appOwnerId: optionalMatch(
        'X_APP_OWNER_ID',
        read('X_APP_OWNER_ID'),
        /^[0-9]{1,19}$/,
        `the numeric X user id of the account that owns the app (${X_PORTAL} shows the owner; /lookup gives its id)`,
      ),
    },
    web: {
      publicUrl,
      port: optionalNumber('PORT', read('PORT'), { min: 0, max: 65535, integer: true }) ?? 3000,
      host: optionalMatch(
        'HOST',
        read('HOST'),
        /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F:]+|[A-Za-z0-9.-]{1,253})$/,
        'an address to listen on, such as 127.0.0.1 behind a reverse proxy on the same machine, or :: for every IPv6 and IPv4 interface',
      ),
      redirectUri: `${publicUrl}/oauth/callback`,
      discordRedirectUri: `${publicUrl}/oauth/discord/callback`,
    },
    store: storeUrl,
    tokenEncryptionKey: encryptionKey(read('TOKEN_ENCRYPTION_KEY')),
    alerts: {
      intervalSeconds:
        optionalNumber('ALERTS_INTERVAL_SECONDS', read('ALERTS_INTERVAL_SECONDS'), {
          min: 15,
          integer: true,
        }) ?? 60,
      maxPerGuild:
        optionalNumber('ALERTS_MAX_PER_GUILD', read('ALERTS_MAX_PER_GUILD'), { min: 1, integer: true }) ?? 25,
      scanMaxFollowers:
        optionalNumber('ALERTS_SCAN_MAX_FOLLOWERS', read('ALERTS_SCAN_MAX_FOLLOWERS'), {
          min: 0,
          integer: true,
        }) ?? 200,
      source: oneOf('ALERTS_SOURCE', read('ALERTS_SOURCE'), ALERTS_SOURCES, 'auto'),
    },
    paging: {
      expiryMs:
        (optionalNumber('PAGING_EXPIRY_HOURS', read('PAGING_EXPIRY_HOURS'), { min: 1, integer: false }) ??
          168) * 3_600_000,
    },
    insights: {
      userDailyUsd:
        optionalNumber('INSIGHTS_USER_DAILY_USD', read('INSIGHTS_USER_DAILY_USD'), {
          min: 0,
          integer: false,
        }) ?? 1,
    },
    logLevel: oneOf('LOG_LEVEL', read('LOG_LEVEL'), LOG_LEVELS, 'info'),
    operatorContact: operatorContact(read('OPERATOR_CONTACT')),
  };
  return deepFreeze(config);
}

/** One line of the operator's choosing (an address, a server invite, a URL), shown as given. */
function operatorContact(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.length > 200 || /[\r\n]/.test(text))
    fail('OPERATOR_CONTACT', 'is too long or has line breaks', 'give one line of at most 200 characters');
  return text;
}

function fail(key: string, problem: string, hint: string): never {
  throw new ConfigError(`${key} ${problem}: ${hint}.`);
}

function required(key: string, value: string | undefined, hint: string, shape: RegExp): string {
  if (value === undefined) fail(key, 'is missing', `set it to ${hint}`);
  // The value is a secret or an identifier pasted from a portal: say what is wrong, never echo it.
  if (!shape.test(value)) fail(key, 'is malformed', `expected ${hint}, with no spaces or quotes`);
  return value;
}

/** A bot token's first part is the application's id in base64, as Discord issues them. */
function applicationIdOf(token: string): string {
  const id = Buffer.from(token.split('.')[0] ?? '', 'base64').toString('utf8');
  if (!/^\d{17,20}$/.test(id))
    fail(
      'DISCORD_TOKEN',
      'is malformed',
      `expected the bot token from ${DISCORD_PORTAL} → your application → Bot → Reset Token`,
    );
  return id;
}

function optionalSecret(key: string, value: string | undefined): string | undefined {
  if (value !== undefined && /\s/.test(value)) fail(key, 'is malformed', 'it must not contain spaces');
  return value;
}

function optionalMatch(key: string, value: string | undefined, shape: RegExp, hint: string) {
  if (value !== undefined && !shape.test(value)) fail(key, `is "${value}"`, `expected ${hint}`);
  return value;
}

function httpUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(key, `is "${value}"`, 'expected an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(key, `is "${value}"`, 'expected an absolute http:// or https:// URL');
  }
  if (url.search || url.hash) fail(key, `is "${value}"`, 'expected a URL without a query or fragment');
  return value;
}

function optionalUrl(key: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : httpUrl(key, value).replace(/\/+$/, '');
}

function optionalNumber(
  key: string,
  value: string | undefined,
  range: { min: number; max?: number; integer: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok =
    /^\d+(\.\d+)?$/.test(value) &&
    Number.isFinite(n) &&
    (!range.integer || Number.isInteger(n)) &&
    n >= range.min &&
    (range.max === undefined || n <= range.max);
  if (!ok) {
    const kind = range.integer ? 'a whole number' : 'a number';
    const bounds = range.max === undefined ? `of at least ${range.min}` : `from ${range.min} to ${range.max}`;
    fail(key, `is "${value}"`, `expected ${kind} ${bounds}`);
  }
  return n;
}

/** This process's shard ids: a comma-separated list of distinct ids below the count, or all of them. */
function shardIds(value: string | undefined, count: number): number[] {
  if (value === undefined) return Array.from({ length: count }, (_, i) => i);
  const ids = value.split(',').map((part) => part.trim());
  const range =
    count === 1 ? 'only 0, as SHARD_COUNT is 1' : `from 0 to ${count - 1} (SHARD_COUNT is ${count})`;
  if (ids.some((id) => !/^\d+$/.test(id) || Number(id) >= count))
    fail('SHARD_IDS', `is "${value}"`, `expected comma-separated shard ids ${range}`);
  if (new Set(ids.map(Number)).size !== ids.length)
    fail('SHARD_IDS', `is "${value}"`, 'expected each shard id once');
  return ids.map(Number);
}

function storeUrlOf(value: string): Config['store'] {
  const sqlite = /^sqlite:\/\/(.+)$/.exec(value);
  if (sqlite?.[1]) {
    const path = sqlite[1];
    const dataDir = path === ':memory:' ? resolve('data') : dirname(resolve(path));
    return { url: value, dataDir };
  }
  if (/^(redis|rediss|postgres|postgresql):\/\/.+/.test(value))
    return { url: value, dataDir: resolve('data') };
  // The URL may carry a password: name the key, not the value.
  return fail(
    'STORE_URL',
    'is not a supported store',
    'expected sqlite://path/to/file.sqlite, redis://… or postgres://…',
  );
}

function encryptionKey(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  const make =
    'make one with: node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"), or leave it unset to have Flock generate one';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || bytes.length !== 32) {
    fail('TOKEN_ENCRYPTION_KEY', 'is malformed', `expected 32 random bytes in base64 (${make}`);
  }
  // A key of one repeated byte (all zeros, a placeholder) protects nothing.
  if (bytes.every((b) => b === bytes[0])) {
    fail('TOKEN_ENCRYPTION_KEY', 'is not random', `expected 32 random bytes in base64 (${make}`);
  }
  return bytes;
}

function oneOf<T extends string>(
  key: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower))
    fail(key, `is "${value}"`, `expected one of ${allowed.join(', ')}`);
  return lower as T;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether browsers reach Flock over plain http on a host other than this machine: codes and
 * cookies then cross the network in the clear, and a neighbouring host can plant the link cookie
 * (only `__Host-` cookies, which need https, are safe from that). Linking stays off there.
 */
export function servesPlainHttp(config: Config): boolean {
  const publicUrl = new URL(config.web.publicUrl);
  return publicUrl.protocol === 'http:' && !LOOPBACK.test(publicUrl.hostname);
}

/** What is allowed but probably a mistake, for one warning line each at start. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (servesPlainHttp(config)) {
    warnings.push(
      `PUBLIC_URL is plain http on ${new URL(config.web.publicUrl).hostname}, so /link and Linked Roles are off: put Flock behind a reverse proxy with https and set PUBLIC_URL to the https address.`,
    );
  }
  if (!config.discord.clientSecret) {
    warnings.push(
      `DISCORD_CLIENT_SECRET is not set, so /link and Linked Roles are off: copy it from ${DISCORD_PORTAL} → your application → OAuth2 → Client Secret.`,
    );
  }
  return warnings;
}
