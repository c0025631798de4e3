/**
 * X's error answers, turned into Flock's XError kinds. X speaks several dialects: RFC 7807
 * problems (`application/problem+json`) whose `type` ends in a slug under api.twitter.com or
 * api.x.com, the legacy `{errors:[{code, message}]}` body, and HTTP 200 answers that carry only
 * `errors`. Only the slug is matched, never the host, and X's own text is kept out of what
 * users will read (it stays in the message for the log).
 */
import {
  type XError,
  XForbiddenError,
  XInvalidRequestError,
  XNotEnrolledError,
  XNotFoundError,
  XProtectedError,
  XRateLimitedError,
  XSuspendedError,
  XUnauthorizedError,
  XUnavailableError,
} from './errors.js';

/** One entry of an `errors` array, in any of X's dialects. */
export interface XProblem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  reason?: string;
  value?: string;
  resource_id?: string;
  resource_type?: string;
  parameter?: string;
  message?: string;
  code?: number;
}

export interface XErrorBody extends XProblem {
  errors?: XProblem[];
}

export function slugOf(type: string | undefined): string | undefined {
  if (!type) return undefined;
  return /\/problems\/([a-z-]+)\/?$/.exec(type)?.[1] ?? type;
}

/** Classifies a problem about one resource (a user): from 200-with-only-errors and from 404. */
export function resourceError(problem: XProblem, endpoint: string, status?: number): XError {
  const slug = slugOf(problem.type);
  const text = `${problem.title ?? ''} ${problem.detail ?? ''}`;
  const message = problem.detail ?? problem.title ?? 'X reported a problem with this resource';
  if (/suspended/i.test(text)) return new XSuspendedError(message, endpoint, status);
  if (slug === 'not-authorized-for-resource' || /authorization error/i.test(text)) {
    return new XProtectedError(message, endpoint, status);
  }
  if (
    slug === 'resource-not-found' ||
    /not found/i.test(text) ||
    problem.code === 50 ||
    problem.code === 63
  ) {
    return new XNotFoundError(message, endpoint, status);
  }
  return new XForbiddenError(message, endpoint, status, slug);
}

export interface HttpErrorContext {
  endpoint: string;
  bucket: string;
  status: number;
  body: XErrorBody | undefined;
  /** When the bucket refills, from the headers, if they said. */
  resetAt: number | undefined;
  now: number;
}

/** Translates a non-2xx answer. */
export function httpError({ endpoint, bucket, status, body, resetAt, now }: HttpErrorContext): XError {
  const first = body?.errors?.[0];
  const slug = slugOf(body?.type ?? first?.type);
  const detail = body?.detail ?? first?.message ?? first?.detail ?? body?.title ?? `HTTP ${status}`;

  if (status === 429 || slug === 'usage-capped' || first?.code === 88) {
    const capped = slug === 'usage-capped';
    // Without a reset header, X's window is 15 minutes; waiting it out is the safe guess.
    return new XRateLimitedError(
      detail,
      endpoint,
      status,
      resetAt ?? now + 15 * 60_000,
      bucket,
      capped ? 'usage-capped' : 'rate-limit',
    );
  }
  if (status === 401) return new XUnauthorizedError(detail, endpoint, status);
  if (status === 403) {
    const reason = body?.reason ?? first?.reason;
    if (slug === 'client-forbidden' && (reason === undefined || reason === 'client-not-enrolled')) {
      return new XNotEnrolledError(detail, endpoint, status);
    }
    if (slug === 'not-authorized-for-resource') return new XProtectedError(detail, endpoint, status);
    return new XForbiddenError(detail, endpoint, status, slug);
  }
  if (status === 404) return resourceError(first ?? body ?? {}, endpoint, status);
  if (status === 400 || status === 422) {
    const messages = body?.errors?.map((e) => e.message ?? e.detail).filter(Boolean) ?? [];
    return new XInvalidRequestError(messages.length ? messages.join('; ') : detail, endpoint, status);
  }
  if (status >= 500) return new XUnavailableError(`X answered ${status}`, endpoint, status);
  return new XForbiddenError(detail, endpoint, status, slug);
}
