/**
 * Reads one list whole, a page of 1,000 at a time (X's largest: the fewest requests for the same
 * billed users), from where today's read of it stands. Before each page it checks that the
 * request was not cancelled, and that the page's worst cost fits the asker's allowance and
 * X_DAILY_BUDGET_USD; after it, the page is stored and the cursor moved past it. An empty
 * rate-limit bucket (the client refuses a request it knows would get 429) is waited out until
 * its reset, visibly, and a cancel ends the wait.
 */

import type { LinkedAccounts } from '../accounts/linked-accounts.js';
import { LinkLostError, NotLinkedError } from '../accounts/linked-accounts.js';
import type { Clock } from '../clock.js';
import { LockLostError } from '../coordination/errors.js';
import {
  READ_PRICE_MICRO_USD,
  type SpendTally,
  type UserAuth,
  type UserPage,
  type XClient,
  XError,
  XRateLimitedError,
} from '../x/index.js';
import type { ListRead, ListReads } from './list-reads.js';
import type { PlannedRead, StopCode } from './requests.js';
import { READ_FIELDS, toRow } from './user-row.js';

/** X's largest page: every user returned is billed, so the page size changes nothing but the request count. */
export const FULL_PAGE = 1000;

export interface ReadDeps {
  x: XClient;
  linked: LinkedAccounts;
  reads: ListReads;
  clock: Clock;
}

export interface ReadControl {
  ownerId: string;
  /**
   * The UTC day the request was made on: its reads are that day's records even once the clock has
   * passed midnight, so a read that runs across it goes on where it was rather than starting again.
   */
  day?: string;
  /** Aborts on a cancel clicked in this process, or on shutdown. */
  signal: AbortSignal;
  /** Whether the request was cancelled (in any process): asked before each page. */
  cancelled(): Promise<boolean>;
  /** Millionths of a dollar the asker may still spend today. */
  allowanceLeft(): Promise<number>;
  /**
   * Holds room in today's budget for between `least` and `most` millionths while a page is read
   * (reads running at once must not each count on the same room): what it holds, or undefined
   * when not even `least` fit.
   */
  reserve(least: number, most: number): { micro: number; release: () => void } | undefined;
  /** A page was stored: `users` it held, `micro` newly billed. */
  page(read: ListRead, users: number, micro: number): Promise<void>;
  /** Waiting for X's rate limit until `until` (clock time). */
  waiting(until: number): Promise<void>;
}

export type ReadOutcome = { kind: 'done'; read: ListRead } | { kind: 'stopped'; code: StopCode };

export async function readWholeList(
  deps: ReadDeps,
  planned: PlannedRead,
  control: ReadControl,
): Promise<ReadOutcome> {
  const price = READ_PRICE_MICRO_USD[planned.kind];
  let read = await deps.reads.current(planned.list, planned.accountId, control.day);
  while (!read.done) {
    if (control.signal.aborted || (await control.cancelled())) return { kind: 'stopped', code: 'cancelled' };
    // The page's worst cost: what the counts say is left (the last page may be short), at most a full page.
    const worst = Math.min(FULL_PAGE, Math.max(1, planned.expected - read.users)) * price;
    const left = await control.allowanceLeft();
    if (left < worst) return { kind: 'stopped', code: 'allowance' };
    // X's counts can be stale: a page never asks for more users than the allowance has left to
    // pay for, nor than the budget has room held for (the counts' worst at least), since every
    // user it returns is billed. The room is held until X has answered and its users are counted.
    const held = control.reserve(worst, Math.min(FULL_PAGE, Math.floor(left / price)) * price);
    if (!held) return { kind: 'stopped', code: 'budget' };
    const { release } = held;
    const size = Math.max(1, Math.floor(held.micro / price));
    const tally: SpendTally = { users: 0, events: 0 };
    let page: UserPage;
    try {
      page = await fetchPage(deps, planned, read.cursor, control.ownerId, tally, size, control.signal);
    } catch (error) {
      release();
      // Stopped, or the lease lost, while X answered: the caller says which.
      if (control.signal.aborted) return { kind: 'stopped', code: 'cancelled' };
      if (error instanceof XRateLimitedError && error.reason === 'rate-limit') {
        await control.waiting(error.resetAt);
        const wait = error.resetAt - deps.clock.now();
        if (wait > 0) {
          try {
            await deps.clock.sleep(wait, control.signal);
          } catch {
            return { kind: 'stopped', code: 'cancelled' };
          }
        }
        continue;
      }
      const code = stopCodeOf(error);
      if (code) return { kind: 'stopped', code };
      throw error;
    }
    // The client recorded the page's users as it answered: they count in today's spend now.
    release();
    // A lease lost while X answered: another process may have stored this page and gone on. (A
    // Stop or a shutdown meanwhile keeps the page: it is paid for, and the read still ours.)
    if (control.signal.reason instanceof LockLostError) return { kind: 'stopped', code: 'cancelled' };
    read = await deps.reads.addPage(read, page.users.map(toRow), page.nextToken, planned.withToken);
    await control.page(read, page.users.length, tally.users * price);
  }
  return { kind: 'done', read };
}

function fetchPage(
  deps: ReadDeps,
  planned: PlannedRead,
  cursor: string | undefined,
  ownerId: string,
  tally: SpendTally,
  size: number,
  signal: AbortSignal,
): Promise<UserPage> {
  const call = (auth?: UserAuth) =>
    deps.x[planned.list](planned.accountId, {
      maxResults: size,
      signal,
      ...(cursor ? { paginationToken: cursor } : {}),
      userFields: READ_FIELDS,
      tally,
      ...(auth ? { auth } : {}),
    });
  return planned.withToken ? deps.linked.withAuth(ownerId, (auth) => call(auth)) : call();
}

/** Failures that end a read with words for the asker; anything else is Flock's own and is thrown. */
function stopCodeOf(error: unknown): StopCode | undefined {
  if (error instanceof NotLinkedError || error instanceof LinkLostError) return 'unlinked';
  if (!(error instanceof XError)) return undefined;
  switch (error.kind) {
    case 'budget-exceeded':
      return 'budget';
    case 'rate-limited':
      return 'usage-capped';
    case 'not-found':
    case 'suspended':
    case 'protected':
      return error.kind;
    case 'unavailable':
      return 'x-unavailable';
    default:
      return undefined;
  }
}
