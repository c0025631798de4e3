/**
 * X's rate limits: a fixed 15-minute window per endpoint and credential (the app, or one user),
 * starting at the first request, plus the 24-hour windows some endpoints add. Every answer on a
 * counted endpoint carries the headers; a request past the limit gets 429.
 */
export interface EndpointLimits {
  /** Per 15 minutes with the app's Bearer token; absent when app tokens may not call it. */
  app?: number;
  /** Per 15 minutes per user with a user token. */
  user?: number;
  /** Per 24 hours per user and per app, where X documents them. */
  userDaily?: number;
  appDaily?: number;
}

/** The 2026 table in reference/x-api.md. */
export const DEFAULT_LIMITS: Record<string, EndpointLimits> = {
  'GET /2/users/:id/followers': { app: 300, user: 300 },
  'GET /2/users/:id/following': { app: 300, user: 300 },
  'POST /2/users/:id/following': { user: 50, userDaily: 400, appDaily: 1000 },
  'DELETE /2/users/:source_user_id/following/:target_user_id': { user: 50 },
  'GET /2/users/by/username/:username': { app: 300, user: 900 },
  'GET /2/users/:id': { app: 300, user: 900 },
  'GET /2/users': { app: 300, user: 900 },
  'GET /2/users/by': { app: 300, user: 900 },
  'GET /2/users/me': { user: 75 },
  // Own lists: user tokens only.
  'GET /2/users/:id/blocking': { user: 15 },
  'GET /2/users/:id/muting': { user: 15 },
  // The reference gives no limit for mute writes; X's docs list 50 per user, as for follows.
  'POST /2/users/:id/muting': { user: 50 },
  'DELETE /2/users/:source_user_id/muting/:target_user_id': { user: 50 },
  // X publishes no limits for the Activity API; these are guesses (Account Activity's 500 per 15
  // minutes for subscription calls, the v2 streams' 50 connects per 15 minutes per app).
  'POST /2/activity/subscriptions': { app: 500, user: 500 },
  'GET /2/activity/subscriptions': { app: 500, user: 500 },
  'PUT /2/activity/subscriptions/:id': { app: 500, user: 500 },
  'DELETE /2/activity/subscriptions/:id': { app: 500, user: 500 },
  'GET /2/activity/stream': { app: 50 },
};

const WINDOW_MS = 15 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

interface Window {
  start: number;
  used: number;
}

export interface LimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  readonly limits: Record<string, EndpointLimits>;
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number,
    overrides: Record<string, EndpointLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS };
    for (const [endpoint, limits] of Object.entries(overrides))
      this.limits[endpoint] = { ...this.limits[endpoint], ...limits };
  }

  /** Counts one request and says whether it may go through, with the headers to send either way. */
  take(
    endpoint: string,
    credential: { kind: 'app'; appId: string } | { kind: 'user'; userId: string; appId: string },
  ): LimitVerdict {
    const limits = this.limits[endpoint] ?? {};
    const checks: { prefix: string; limit: number | undefined; key: string; length: number }[] = [
      {
        prefix: 'x-rate-limit',
        limit: credential.kind === 'app' ? limits.app : limits.user,
        key: `${endpoint}|${credential.kind === 'app' ? `app:${credential.appId}` : `user:${credential.userId}`}`,
        length: WINDOW_MS,
      },
    ];
    if (credential.kind === 'user' && limits.userDaily) {
      checks.push({
        prefix: 'x-user-limit-24hour',
        limit: limits.userDaily,
        key: `${endpoint}|day-user:${credential.userId}`,
        length: DAY_MS,
      });
    }
    if (limits.appDaily) {
      checks.push({
        prefix: 'x-app-limit-24hour',
        limit: limits.appDaily,
        key: `${endpoint}|day-app:${credential.appId}`,
        length: DAY_MS,
      });
    }
    const now = this.now();
    const headers: Record<string, string> = {};
    let allowed = true;
    const windows = checks
      .filter((c) => c.limit !== undefined)
      .map((check) => {
        let window = this.#windows.get(check.key);
        if (!window || now >= window.start + check.length) {
          window = { start: now, used: 0 };
          this.#windows.set(check.key, window);
        }
        if (window.used >= (check.limit ?? 0)) allowed = false;
        return { check, window };
      });
    for (const { check, window } of windows) {
      if (allowed) window.used += 1;
      headers[`${check.prefix}-limit`] = String(check.limit);
      headers[`${check.prefix}-remaining`] = String(Math.max(0, (check.limit ?? 0) - window.used));
      headers[`${check.prefix}-reset`] = String(Math.ceil((window.start + check.length) / 1000));
    }
    return { allowed, headers };
  }

  /** Empties a bucket now, as if its limit had been used up. */
  exhaust(endpoint: string, credentialKey: string): void {
    const limit = this.limits[endpoint];
    const max = credentialKey.startsWith('app:') ? limit?.app : limit?.user;
    this.#windows.set(`${endpoint}|${credentialKey}`, { start: this.now(), used: max ?? 0 });
  }
}
