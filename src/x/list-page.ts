/**
 * One page of one of X's user lists (followers, following, blocking, muting), the way every
 * list is read: asked for at the size the caller will show, since X bills per user returned,
 * and billed as the kind of read it is. The client and blocks-mutes.ts share it.
 */
import type { SpendTally } from './cost-meter.js';
import { XInvalidRequestError } from './errors.js';
import type { CallOptions, Send } from './http.js';
import type { ReadKind } from './prices.js';
import { normalizeUser, type RawUser } from './raw-user.js';
import { resourceError, type XProblem } from './translate-error.js';
import { ID_PATTERN, type UserField, type UserPage, type XUser } from './types.js';

export interface ListOptions extends CallOptions {
  /** 1–1000: ask for what will be shown, since every user returned is billed. */
  maxResults: number;
  paginationToken?: string;
  userFields?: readonly UserField[];
}

export interface UsersBody {
  data?: RawUser[];
  errors?: XProblem[];
  meta?: { result_count?: number; next_token?: string; previous_token?: string };
}

/** Records the users a read returned as `kind`, adding the newly billable ones to `tally`. */
export type BillUsers = (users: XUser[], kind: ReadKind, tally: SpendTally | undefined) => Promise<void>;

export interface PageRequest {
  /** The route template, e.g. `/2/users/:id/muting`. */
  route: string;
  path: string;
  kind: ReadKind;
  opts: ListOptions;
}

export type ReadPage = (request: PageRequest) => Promise<UserPage>;

export const fieldsParam = (fields: readonly UserField[] | undefined): Record<string, string> =>
  fields?.length ? { 'user.fields': [...new Set(fields)].join(',') } : {};

export function createReadPage(send: Send, billUsers: BillUsers): ReadPage {
  return async ({ route, path, kind, opts }) => {
    if (!Number.isInteger(opts.maxResults) || opts.maxResults < 1 || opts.maxResults > 1000) {
      throw new XInvalidRequestError(`maxResults must be 1–1000, not ${opts.maxResults}`, `GET ${route}`);
    }
    const body = await send<UsersBody>({
      ...opts,
      method: 'get',
      route,
      path,
      searchParams: {
        max_results: String(opts.maxResults),
        ...(opts.paginationToken ? { pagination_token: opts.paginationToken } : {}),
        ...fieldsParam(opts.userFields),
      },
      billing: 'user-read',
    });
    // HTTP 200 with only `errors`: the listed account is missing, suspended or protected.
    if (!body.data && body.errors?.[0]) throw resourceError(body.errors[0], `GET ${route}`);
    const users = (body.data ?? []).map(normalizeUser);
    await billUsers(users, kind, opts.tally);
    return { users, nextToken: body.meta?.next_token, previousToken: body.meta?.previous_token };
  };
}

/** Every page in turn from `first` (or the first page) until X says there is no more. */
export async function* walkPages(
  first: string | undefined,
  read: (paginationToken: string | undefined) => Promise<UserPage>,
): AsyncGenerator<UserPage> {
  let token = first;
  do {
    const page = await read(token);
    yield page;
    token = page.nextToken;
  } while (token);
}

/** Ids go into paths: a malformed one is refused before anything is sent. */
export function assertId(id: string, endpoint: string): void {
  if (!ID_PATTERN.test(id)) throw new XInvalidRequestError('not a valid X user id', endpoint);
}
