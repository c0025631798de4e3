/**
 * What someone asked /insights or /export for, from the estimate to the result: one record per
 * request, kept for the UTC day (its result's buttons find it here), and a small index of the
 * requests being read now, which a restarted Flock resumes. The index is bounded: one running
 * request per Discord user, and at most MAX_RUNNING in all.
 */
import { randomBytes } from 'node:crypto';
import type { Locks } from '../coordination/locks.js';
import type { Store } from '../store/open-store.js';
import type { FollowList, ReadKind } from '../x/index.js';
import { ttlOfDay } from './day-records.js';

export const EXPORT_KINDS = ['followers', 'following', 'mutuals', 'not-following-back', 'fans'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The relationships of one account, as result lists. */
export const RELATIONSHIP_LISTS = ['mutuals', 'not-following-back', 'fans'] as const;
export type RelationshipList = (typeof RELATIONSHIP_LISTS)[number];
export type ResultList = RelationshipList | 'shared';

/** An X account as the request needs it: who it is and what its counts said when asked. */
export interface AccountInfo {
  id: string;
  username: string;
  name: string;
  followers: number;
  following: number;
  protected: boolean;
}

export type Want =
  | { kind: 'relationships'; account: AccountInfo }
  | { kind: 'overlap'; account: AccountInfo; other: AccountInfo }
  | { kind: 'export'; account: AccountInfo; list: ExportKind };

/** One list the request needs read whole. */
export interface PlannedRead {
  list: FollowList;
  accountId: string;
  /** Users X's counts say the list has. */
  expected: number;
  /** Of those, users today's reads do not hold yet. */
  toRead: number;
  /** How X bills it: an owned read with the owner's own token, else a full-price read. */
  kind: ReadKind;
  /** Read with the asker's own linked token (their own account) rather than the app's. */
  withToken: boolean;
}

/** An interaction's webhook, to edit the message it answered with, while its token lives. */
export interface WebhookTarget {
  applicationId: string;
  token: string;
  /** ms since epoch (Discord's time, not Flock's clock): the token's 15 minutes, less a margin. */
  expiresAt: number;
}

export type StopCode =
  | 'cancelled'
  | 'budget'
  | 'allowance'
  | 'usage-capped'
  | 'not-found'
  | 'suspended'
  | 'protected'
  | 'unlinked'
  | 'x-unavailable'
  /** Flock's own failure, logged. */
  | 'failed';

export interface InsightsRequest {
  id: string;
  ownerId: string;
  /** The asker's Discord locale: progress and results speak it. */
  locale: string;
  day: string;
  want: Want;
  reads: PlannedRead[];
  /** What the reads cost at most, in millionths of a dollar, when asked. */
  estimateMicro: number;
  status: 'estimate' | 'running' | 'done' | 'stopped';
  stop?: StopCode;
  createdAt: number;
  /** Where progress is shown: the Confirm click's webhook, or that of a later command that looked in. */
  progress?: WebhookTarget;
  /** Where Flock's bot is in the place: the result is then public, like /followers. */
  publicResult: boolean;
  /** Discord's largest attachment for the interaction that confirmed, in bytes. */
  attachmentLimit: number;
  /** What the request's own pages cost, in millionths of a dollar, and how many users they held. */
  spentMicro: number;
  usersRead: number;
  /** The asker clicked Stop: whichever process reads it stops before its next page. */
  cancelRequested?: boolean;
  /** Set once the request is done. */
  resultKey?: string;
}

/** Requests read at once, across every user: each takes X's shared rate limit. */
export const MAX_RUNNING = 20;
const INDEX_KEY = 'running';

export class Requests {
  readonly #requests;
  readonly #index;

  constructor(
    store: Store,
    private readonly locks: Locks,
  ) {
    this.#requests = store.namespace<InsightsRequest>('insights-requests');
    this.#index = store.namespace<string[]>('insights-running');
  }

  static newId(): string {
    return randomBytes(9).toString('base64url');
  }

  get(id: string): Promise<InsightsRequest | undefined> {
    return this.#requests.get(id);
  }

  async save(request: InsightsRequest, now: number): Promise<void> {
    await this.#requests.set(request.id, request, ttlOfDay(request.day, now));
  }

  /** Runs `task` on the request alone: a Confirm and a Cancel clicked together do not both win. */
  exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(`insights:request:${id}`, task);
  }

  running(): Promise<string[]> {
    return this.#index.get(INDEX_KEY).then((ids) => ids ?? []);
  }

  /**
   * Adds a request to the running ones, unless its owner already has one or MAX_RUNNING run:
   * returns the reason it was refused, if it was.
   */
  async start(request: InsightsRequest): Promise<'own-running' | 'busy' | undefined> {
    return this.locks.run('insights:running', async () => {
      const ids = await this.running();
      const running = (await Promise.all(ids.map((id) => this.get(id)))).filter(
        (r): r is InsightsRequest => r?.status === 'running',
      );
      if (running.some((r) => r.ownerId === request.ownerId && r.id !== request.id)) return 'own-running';
      if (running.length >= MAX_RUNNING) return 'busy';
      await this.#index.set(INDEX_KEY, [...new Set([...running.map((r) => r.id), request.id])]);
      return undefined;
    });
  }

  async finish(id: string): Promise<void> {
    await this.locks.run('insights:running', async () => {
      const ids = await this.running();
      await this.#index.set(
        INDEX_KEY,
        ids.filter((other) => other !== id),
      );
    });
  }

  /** The running request of `ownerId`, if any. */
  async runningOf(ownerId: string): Promise<InsightsRequest | undefined> {
    for (const id of await this.running()) {
      const request = await this.get(id);
      if (request?.status === 'running' && request.ownerId === ownerId) return request;
    }
    return undefined;
  }
}

/** Whether two requests ask for the same thing (the same lists, compared the same way). */
export function sameWant(a: Want, b: Want): boolean {
  if (a.kind !== b.kind || a.account.id !== b.account.id) return false;
  if (a.kind === 'overlap' && b.kind === 'overlap') return a.other.id === b.other.id;
  if (a.kind === 'export' && b.kind === 'export') return a.list === b.list;
  return true;
}
