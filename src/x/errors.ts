/**
 * The small set of failures the rest of Flock sees from X. `translate-error.ts` turns X's
 * answers into these at the edge; commands switch on `kind` and never see an HTTP status.
 * Messages name the endpoint, never a token or a secret.
 */
export type XErrorKind =
  | 'not-found'
  | 'suspended'
  | 'protected'
  | 'rate-limited'
  | 'not-enrolled'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid-request'
  | 'unavailable'
  | 'budget-exceeded'
  | 'limit-reached'
  | 'needs-user-context'
  | 'refused';

export abstract class XError extends Error {
  abstract readonly kind: XErrorKind;
  /** `METHOD /route/:template` of the call that failed. */
  readonly endpoint: string;
  /** The HTTP status X answered with, when it answered. */
  readonly status: number | undefined;

  constructor(message: string, endpoint: string, status?: number, options?: ErrorOptions) {
    super(`${message} (${endpoint}${status ? `, HTTP ${status}` : ''})`, options);
    this.endpoint = endpoint;
    this.status = status;
  }

  override get name() {
    return this.constructor.name;
  }
}

export class XNotFoundError extends XError {
  readonly kind = 'not-found';
}

export class XSuspendedError extends XError {
  readonly kind = 'suspended';
}

/** A protected account whose lists this credential may not see. */
export class XProtectedError extends XError {
  readonly kind = 'protected';
}

export class XRateLimitedError extends XError {
  readonly kind = 'rate-limited';
  constructor(
    message: string,
    endpoint: string,
    status: number | undefined,
    /** When the bucket refills (ms since epoch). */
    readonly resetAt: number,
    /** The rate-limit bucket that is empty. */
    readonly bucket: string,
    /** `usage-capped` when the app's plan has no more reads this period. */
    readonly reason: 'rate-limit' | 'usage-capped' = 'rate-limit',
    /** True when nothing was sent because the bucket was already known to be empty. */
    readonly local = false,
  ) {
    super(message, endpoint, status);
  }
}

/** 403 client-forbidden / client-not-enrolled: the X app's plan lacks this endpoint. */
export class XNotEnrolledError extends XError {
  readonly kind = 'not-enrolled';
}

/** 401: the token is bad, expired or revoked. */
export class XUnauthorizedError extends XError {
  readonly kind = 'unauthorized';
}

export class XForbiddenError extends XError {
  readonly kind = 'forbidden';
  constructor(
    message: string,
    endpoint: string,
    status: number | undefined,
    /** The problem type's slug, e.g. `unsupported-authentication`. */
    readonly reason: string | undefined,
  ) {
    super(message, endpoint, status);
  }
}

export class XInvalidRequestError extends XError {
  readonly kind = 'invalid-request';
}

/** 5xx, a network failure, a timeout or an unreadable answer, after retries. */
export class XUnavailableError extends XError {
  readonly kind = 'unavailable';
}

/** X_DAILY_BUDGET_USD is spent for this UTC day; nothing was sent. */
export class XBudgetExceededError extends XError {
  readonly kind = 'budget-exceeded';
  constructor(
    message: string,
    endpoint: string,
    /** The next UTC midnight, when spending may resume. */
    readonly resetAt: number,
  ) {
    super(message, endpoint);
  }
}

/**
 * An app-wide allowance is used up: the plan's Activity API subscriptions, or concurrent
 * connections to the activity stream. Waiting does not help; releasing one lets the next in.
 */
export class XLimitReachedError extends XError {
  readonly kind = 'limit-reached';
  constructor(
    message: string,
    endpoint: string,
    status: number | undefined,
    readonly limit: 'subscriptions' | 'connections',
  ) {
    super(message, endpoint, status);
  }
}

/** X serves this account only with the account's own user token, not the app's Bearer token. */
export class XNeedsUserContextError extends XError {
  readonly kind = 'needs-user-context';
}

/** X will not serve this account to this app (its privacy or X's policy), whatever the plan. */
export class XRefusedError extends XError {
  readonly kind = 'refused';
}
