/**
 * Start-up failures an operator can fix, in one line that names the key or the cause and what to
 * do. `npm start` and `npm run deploy-commands` both print `<what> cannot start: <line>` and
 * exit with code 1; anything not recognised here is logged whole instead.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config.js';
import { StartupError } from './startup-error.js';
import { StoreError } from './store/store-error.js';

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const PORTAL = 'https://discord.com/developers/applications';

export interface FailureContext {
  /** DISCORD_API_URL as configured (undefined: Discord itself). */
  discordApiUrl?: string | undefined;
  port?: number | undefined;
}

/** The line for `error`, or undefined when it is not one Flock knows how to explain. */
export function explainStartupFailure(error: unknown, context: FailureContext = {}): string | undefined {
  if (error instanceof ConfigError) return withEnvFileHint(error.message);
  if (error instanceof StartupError || error instanceof StoreError) return error.message;
  const code = codeOf(error);
  if (code === 'EADDRINUSE')
    return `PORT${context.port ? ` ${context.port}` : ''} is already in use: stop what listens there, or set PORT to a free port.`;
  if (code === 'TokenInvalid' || statusOf(error) === 401)
    return `DISCORD_TOKEN was refused by Discord: reset it at ${PORTAL} → your application → Bot → Reset Token, and set the new one.`;
  const discord = context.discordApiUrl ?? 'https://discord.com/api';
  if (statusOf(error) === 404 && /gateway\/bot/.test(urlOf(error) ?? ''))
    return `DISCORD_API_URL (${hostAndPath(discord)}) answered 404 for /v10/gateway/bot: it must be the API base, ending in /api (for example https://discord.com/api), or be left empty for Discord itself.`;
  if (code && NETWORK_CODES.has(code))
    return `Discord is not reachable at ${hostAndPath(discord)} (${code}): check this machine's network, and DISCORD_API_URL (leave it empty for Discord itself).`;
  return undefined;
}

/** A missing key is often a missing .env: say so beside it. */
function withEnvFileHint(message: string, envFile = '.env'): string {
  if (!/ is missing/.test(message) || existsSync(envFile)) return message;
  return `${message} (There is no .env in ${resolve('.')}: copy .env.example to .env and fill it in.)`;
}

/** The first `code` along the error's causes: Node's errno codes, undici's, discord.js's. */
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // AggregateError (several addresses tried): the first one's.
    const inner = (e as { errors?: unknown[] }).errors?.[0];
    const innerCode = (inner as { code?: unknown } | undefined)?.code;
    if (typeof innerCode === 'string') return innerCode;
  }
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

function urlOf(error: unknown): string | undefined {
  const url = (error as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url : undefined;
}

/** The address without credentials or query, for a message. */
function hostAndPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'an address that is not a URL';
  }
}
