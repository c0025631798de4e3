/**
 * Posts an interaction's callback (its first response) as JSON straight through undici, the HTTP
 * client @discordjs/rest itself sends with.
 *
 * Why not through @discordjs/rest: a callback is the one request of nearly every answer, and that
 * client's machinery around it (route hashing, handler lookup, an AbortController and a timer, a
 * Response object, events) allocated more than the answer's own work, and made each of the bot's
 * young-generation collections long: `npm run bench:interactions` measured 11–30 ms of collection
 * per 1,000 answers before, 1–5 after, and a third less CPU for a click. None of that machinery
 * applies to a callback: its route has no bucket to wait for (@discordjs/rest sends it through a
 * handler that keeps none), it is outside the global limit, and its token answers once. What is
 * left is kept here: a 429 is waited out (the body's `retry_after` or the Retry-After header, both
 * in seconds), a 5xx or a cut connection is tried again, and a refusal is thrown as discord.js's
 * own DiscordAPIError or HTTPError, so callers and logs see what they saw before.
 */
import { STATUS_CODES } from 'node:http';
import { DefaultUserAgent, DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { Agent, type Dispatcher } from 'undici';
import { settledWithin, systemClock } from '../clock.js';

/** As @discordjs/rest: a request that has no answer in 15 s fails. */
const TIMEOUT_MS = 15_000;
/** Tries after the first, for a 5xx, a cut connection or a 429. */
const RETRIES = 2;
/**
 * The most a callback waits for rate limits, all its tries together: Discord drops an interaction
 * it has no callback for within 3 s of dispatch, so a longer wait could only end in "Unknown
 * interaction".
 */
const MAX_RATE_LIMIT_WAIT_MS = 3_000;
/** An error's body is read this far, no further: enough for any of Discord's, and no more of another's. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** "Interaction has already been acknowledged": on a retry, the try before reached Discord. */
const ALREADY_ACKNOWLEDGED = 40060;
/** At stop: how long the requests in flight may take to finish before their connections are cut. */
const CLOSE_GRACE_MS = 1_000;

export class CallbackSender {
  readonly #agent = new Agent({ connect: { timeout: 10_000 } });
  readonly #origin: string;
  /** The API's path with its version (`/api/v10`), before each route. */
  readonly #base: string;
  /**
   * Until when (Date.now()) Discord refuses every request of this process: a global 429, or one
   * that is not Discord's JSON (Cloudflare's, for too many invalid requests from the address).
   * Callbacks wait it out within their budget or fail at once; none is sent known to get a 429.
   */
  #blockedUntil = 0;
  #closing: Promise<void> | undefined;

  /** `api` as discord.js takes it (`…/api`); Discord's when absent. */
  constructor(api = 'https://discord.com/api', version = '10') {
    const url = new URL(api);
    this.#origin = url.origin;
    this.#base = `${url.pathname.replace(/\/+$/, '')}/v${version}`;
  }

  /** POSTs `body` to `route` (`/interactions/:id/:token/callback`). */
  async post(route: string, body: unknown): Promise<void> {
    const json = JSON.stringify(body);
    const path = this.#base + route;
    const url = this.#origin + path;
    const sent = { body };
    let waitLeft = MAX_RATE_LIMIT_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const blocked = this.#blockedUntil - Date.now();
      if (blocked > 0) {
        if (blocked > waitLeft) throw blockedError(url, blocked);
        waitLeft -= blocked;
        await systemClock.sleep(blocked);
      }
      const response = await this.#send(path, json, attempt);
      if (response === undefined) continue;
      const { statusCode, headers } = response;
      if (statusCode >= 200 && statusCode < 300) {
        await response.body.dump();
        return;
      }
      const data = parseJson(await readSome(response.body));
      if (attempt > 0 && statusCode === 400 && Number(data?.code) === ALREADY_ACKNOWLEDGED) return;
      const lastTry = attempt >= RETRIES;
      if (statusCode === 429) {
        const wait = retryAfterMs(headers['retry-after'], data);
        const everyRequest = !data || data.global === true || headers['x-ratelimit-global'] !== undefined;
        if (everyRequest) this.#blockedUntil = Math.max(this.#blockedUntil, Date.now() + wait);
        if (!lastTry && wait <= waitLeft) {
          // A wait that holds every request is taken at the top of the loop, as every callback takes it.
          if (!everyRequest) {
            waitLeft -= wait;
            await systemClock.sleep(wait);
          }
          continue;
        }
      }
      if (statusCode >= 500 && !lastTry) continue;
      if (statusCode >= 500 || !data)
        throw new HTTPError(statusCode, STATUS_CODES[statusCode] ?? '', 'POST', url, sent);
      const code = typeof data.code === 'number' || typeof data.code === 'string' ? data.code : 0;
      throw new DiscordAPIError(data as never, code, statusCode, 'POST', url, sent);
    }
  }

  /** One try; undefined when the connection was cut and a try is left, as @discordjs/rest retries then. */
  async #send(path: string, json: string, attempt: number): Promise<Dispatcher.ResponseData | undefined> {
    try {
      return await this.#agent.request({
        origin: this.#origin,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': DefaultUserAgent },
        body: json,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
    } catch (error) {
      if (attempt < RETRIES && isReset(error)) return undefined;
      throw error;
    }
  }

  /** Lets the requests in flight finish for a moment, then cuts what is left; once, however often it is asked. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (!(await settledWithin(this.#agent.close(), CLOSE_GRACE_MS))) await this.#agent.destroy();
  }
}

/** Refused before sending: the process is over Discord's global limit for longer than a callback can wait. */
function blockedError(url: string, ms: number): RateLimitError {
  return new RateLimitError({
    timeToReset: ms,
    retryAfter: ms,
    limit: 0,
    method: 'POST',
    hash: 'Global',
    url,
    route: '/interactions/:id/:token/callback',
    majorParameter: 'global',
    global: true,
    sublimitTimeout: 0,
    scope: 'global',
  });
}

/**
 * An error's body as text, at most MAX_ERROR_BODY_BYTES of it, and within TIMEOUT_MS: a server
 * that sends more, or sends it a byte at a time, gets its connection cut, not the bot's memory.
 */
async function readSome(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => body.destroy(), TIMEOUT_MS);
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= MAX_ERROR_BODY_BYTES) {
        body.destroy();
        break;
      }
    }
  } catch {
    // Cut short: what came is all there is.
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}

/** A socket closed under the request: the server dropped a kept-alive connection as it was reused. */
function isReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(text);
    return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long a 429 asks to wait, in seconds either way: the body's `retry_after` (fractional, so the
 * closer figure), or the Retry-After header (whole seconds, rounded up) where the body has none. A
 * second when neither says.
 */
function retryAfterMs(
  header: string | string[] | undefined,
  data: Record<string, unknown> | undefined,
): number {
  for (const value of [data?.retry_after, Array.isArray(header) ? header[0] : header]) {
    const seconds =
      typeof value === 'number' || (typeof value === 'string' && value.trim()) ? Number(value) : Number.NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return 1000;
}
