/**
 * Discord's global rate limit: a bot may make 50 requests a second across the API; past that,
 * Discord answers 429 with `X-RateLimit-Global: true`, `X-RateLimit-Scope: global` and a
 * `Retry-After` (seconds), and every route of the bot is refused until it passes. Interaction
 * endpoints are exempt ("Interaction endpoints are not bound to the bot's Global Rate Limit"):
 * the callback, and the webhook routes of an interaction's token (edits, follow-ups, deletes).
 */

export const DISCORD_GLOBAL_PER_SECOND = 50;

export interface GlobalLimitAnswer {
  status: 429;
  headers: Record<string, string>;
  body: { message: string; retry_after: number; global: true; code: 0 };
}

export class GlobalLimit {
  /**
   * Requests a second before the 429s start; undefined counts nothing (the default, so that tests
   * which do not ask for it are not slowed by a limit their subject keeps anyway).
   */
  perSecond: number | undefined;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;
  #until = 0;

  constructor(private readonly now: () => number) {}

  /** The bot is over the global limit for the next `ms`, as when it has spent its requests elsewhere. */
  exhaust(ms: number): void {
    this.#until = Math.max(this.#until, this.now() + ms);
  }

  /** Counts one request of the bot on a route the limit covers; the 429 when it is over. */
  take(): GlobalLimitAnswer | undefined {
    const now = this.now();
    if (now < this.#until) return refusal(this.#until - now);
    if (this.perSecond === undefined) return undefined;
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count += 1;
    if (this.#count <= this.perSecond) return undefined;
    this.#until = this.#windowStart + 1000;
    return refusal(this.#until - now);
  }
}

/** Whether a path (under /api/v10) is an interaction endpoint: a callback, or an interaction token's webhook. */
export function isInteractionRoute(path: string, isInteractionToken: (token: string) => boolean): boolean {
  if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return true;
  const token = /^\/webhooks\/\d+\/([^/]+)/.exec(path)?.[1];
  return token !== undefined && isInteractionToken(decodeURIComponent(token));
}

function refusal(ms: number): GlobalLimitAnswer {
  const seconds = Math.max(0.001, ms / 1000);
  return {
    status: 429,
    headers: {
      'retry-after': String(Math.ceil(seconds)),
      'x-ratelimit-global': 'true',
      'x-ratelimit-scope': 'global',
    },
    body: {
      message: 'You are being rate limited.',
      retry_after: Number(seconds.toFixed(3)),
      global: true,
      code: 0,
    },
  };
}
