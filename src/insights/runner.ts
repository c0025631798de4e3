/**
 * Runs confirmed requests: reads each list whole (read-list.ts), compares, and delivers, showing
 * progress on the asker's message. A request runs under a lease of its own, so one process reads
 * it at a time, and each list under a lease too, so two requests never read the same list at once
 * (the second waits, then finds it read and pays nothing). Stopping Flock aborts the runs without
 * ending them: they are still "running" in the store, and the next start resumes each from its
 * lists' stored cursors.
 */
import type { LinkedAccounts } from '../accounts/linked-accounts.js';
import type { Clock } from '../clock.js';
import { LockLostError } from '../coordination/errors.js';
import type { Leases } from '../coordination/leases.js';
import { translator } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import { READ_PRICE_MICRO_USD, type XClient } from '../x/index.js';
import type { Allowance } from './allowance.js';
import { completeResult, type DeliverDeps, sendExport, sendResult } from './deliver.js';
import { Progress } from './progress.js';
import { readWholeList } from './read-list.js';
import type { InsightsRequest, PlannedRead, Requests, StopCode } from './requests.js';
import { doneView, exportDoneView, stoppedView } from './views.js';

export interface RunnerDeps extends DeliverDeps {
  x: XClient;
  linked: LinkedAccounts;
  requests: Requests;
  allowance: Allowance;
  clock: Clock;
  log: Logger;
  leases: Leases;
  /** How long a lease outlives a process that stopped renewing it; tests make it short. */
  leaseTtlMs?: number;
}

const LEASE_TTL_MS = 30_000;
/** How often a request waiting for another's read of the same list looks again (real time). */
const OTHER_READ_POLL_MS = 2_000;
const SHUTDOWN = 'shutdown';

/**
 * Whether a run was aborted to be taken up elsewhere rather than ended: Flock stopping, or a lease
 * it could not renew (another process may hold it now, and reads on; this one must not write).
 */
const handedOver = (signal: AbortSignal): boolean =>
  signal.aborted && (signal.reason === SHUTDOWN || signal.reason instanceof LockLostError);

/** Whether the budget has room for `micro`: every read price is a whole number of owned-read prices. */
export const affordable = (x: XClient, micro: number): boolean =>
  x.canAfford(Math.ceil(micro / READ_PRICE_MICRO_USD.owned), 'owned');

/**
 * Holds room in the budget for between `least` and `most` millionths while a page is read (every
 * read price is a whole number of owned-read prices); undefined when not even `least` fit.
 */
export function reserveBudget(
  x: XClient,
  least: number,
  most: number,
): { micro: number; release: () => void } | undefined {
  const unit = READ_PRICE_MICRO_USD.owned;
  const held = x.reserve(Math.ceil(least / unit), Math.floor(most / unit), 'owned');
  return held && { micro: held.users * unit, release: held.release };
}

export class Runner {
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Starts reading a request here, unless this process already is. */
  launch(id: string): void {
    if (this.#running.has(id)) return;
    const controller = new AbortController();
    const done = this.#run(id, controller.signal)
      .catch((error: unknown) => this.deps.log.error('an insights request failed', { requestId: id, error }))
      .finally(() => this.#running.delete(id));
    this.#running.set(id, { controller, done });
  }

  /** Ends a rate-limit wait of a request read here at once (a Stop click). */
  interrupt(id: string): void {
    this.#running.get(id)?.controller.abort('cancelled');
  }

  isRunningHere(id: string): boolean {
    return this.#running.has(id);
  }

  /** Aborts every run and waits for them: each stays "running" in the store, to resume at the next start. */
  async stopAll(): Promise<void> {
    const runs = [...this.#running.values()];
    for (const run of runs) run.controller.abort(SHUTDOWN);
    await Promise.all(runs.map((run) => run.done));
  }

  async #run(id: string, stopped: AbortSignal): Promise<void> {
    const { deps } = this;
    const lease = await deps.leases.tryAcquire(`insights:run:${id}`, deps.leaseTtlMs ?? LEASE_TTL_MS);
    if (!lease) return;
    const signal = AbortSignal.any([stopped, lease.lost]);
    try {
      const request = await deps.requests.get(id);
      if (request?.status !== 'running') return void (await deps.requests.finish(id));
      const t = translator(request.locale);
      const progress = new Progress(deps, request, t);
      try {
        for (const planned of request.reads) {
          const code = await this.#read(request, planned, progress, signal);
          if (handedOver(signal)) return this.#handOver(id, signal);
          if (code) return await this.#stop(request, code, progress);
        }
        progress.show({ comparing: true }, true);
        const record = await completeResult(deps, request);
        // A lease lost while comparing: the next holder finishes and delivers it, once.
        if (handedOver(signal)) return this.#handOver(id, signal);
        await this.#finish(request, record, progress);
      } catch (error) {
        if (handedOver(signal)) return this.#handOver(id, signal);
        deps.log.error('an insights request failed', { requestId: id, error });
        await this.#stop(request, 'failed', progress);
      } finally {
        progress.close();
      }
    } finally {
      await lease.release();
    }
  }

  /** Reads one list whole for the request; a stop code if it could not. */
  async #read(
    request: InsightsRequest,
    planned: PlannedRead,
    progress: Progress,
    signal: AbortSignal,
  ): Promise<StopCode | undefined> {
    const { deps } = this;
    const readKey = deps.reads.keyOf(request.day, planned.list, planned.accountId);
    for (;;) {
      if ((await deps.reads.current(planned.list, planned.accountId, request.day)).done) return undefined;
      const lease = await deps.leases.tryAcquire(`insights:read:${readKey}`, deps.leaseTtlMs ?? LEASE_TTL_MS);
      if (lease) {
        const reading = AbortSignal.any([signal, lease.lost]);
        try {
          const outcome = await readWholeList(deps, planned, {
            ownerId: request.ownerId,
            day: request.day,
            signal: reading,
            cancelled: async () => {
              const latest = await deps.requests.get(request.id);
              if (latest?.progress) progress.retarget(latest.progress);
              return latest?.cancelRequested === true;
            },
            allowanceLeft: () => deps.allowance.left(request.ownerId),
            reserve: (least, most) => reserveBudget(deps.x, least, most),
            page: async (read, users, micro) => {
              await deps.allowance.add(request.ownerId, micro);
              await this.#count(request, users, micro);
              progress.page(planned, read.users);
            },
            waiting: async (until) => progress.show({ waitingUntil: until }, true),
          });
          // Stopping, or the request's lease lost: it goes on elsewhere, as after a shutdown.
          if (handedOver(signal)) return undefined;
          // Unlinked while reading the owner's own list: what this read stored since /unlink deleted
          // the rest goes too (it holds the list's lease, so nothing else writes it now).
          if (outcome.kind === 'stopped' && outcome.code === 'unlinked' && planned.withToken)
            await deps.reads.forgetOwners(request.day, planned.list, planned.accountId);
          // The list's lease alone lost: another process may be reading it now; wait as for any other.
          if (handedOver(reading)) continue;
          return outcome.kind === 'stopped' ? outcome.code : undefined;
        } finally {
          await lease.release();
        }
      }
      // Another request reads this list now: it will be read whole (and free to us) when that ends.
      progress.show({ otherRead: true }, true);
      try {
        await new Promise<void>((resolve, reject) => {
          const aborted = () => {
            clearTimeout(timer);
            reject(signal.reason);
          };
          // Removed when the wait ends: a long wait must not pile a listener a poll on the run's signal.
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', aborted);
            resolve();
          }, OTHER_READ_POLL_MS);
          timer.unref();
          if (signal.aborted) aborted();
          else signal.addEventListener('abort', aborted, { once: true });
        });
      } catch {
        return 'cancelled';
      }
    }
  }

  /** Leaves a run to whichever process takes it up next: it is still "running" in the store. */
  #handOver(id: string, signal: AbortSignal): void {
    if (signal.reason instanceof LockLostError)
      this.deps.log.warn('an insights read lost its lease; another process takes it up', { requestId: id });
  }

  /** Adds a page to the request's own figures (under its lock: a Stop click writes it too). */
  async #count(request: InsightsRequest, users: number, micro: number): Promise<void> {
    request.usersRead += users;
    request.spentMicro += micro;
    await this.deps.requests.exclusive(request.id, async () => {
      const latest = (await this.deps.requests.get(request.id)) ?? request;
      await this.deps.requests.save(
        { ...latest, usersRead: request.usersRead, spentMicro: request.spentMicro },
        this.deps.clock.now(),
      );
    });
  }

  async #stop(request: InsightsRequest, code: StopCode, progress: Progress): Promise<void> {
    const { deps } = this;
    if (!(await this.#settle(request, { status: 'stopped', stop: code }, progress))) return;
    await progress.end(stoppedView(request, code, deps.allowance.dailyMicro, deps.clock.now(), progress.t));
  }

  async #finish(
    request: InsightsRequest,
    record: Awaited<ReturnType<typeof completeResult>>,
    progress: Progress,
  ): Promise<void> {
    const { deps } = this;
    if (
      !(await this.#settle(
        request,
        { status: 'done', ...(record ? { resultKey: record.key } : {}) },
        progress,
      ))
    )
      return;
    const target = progress.liveTarget();
    const t = progress.t;
    if (request.want.kind === 'export') {
      if (!target) return void (await progress.end(doneView(request, t, false)));
      const sent = await sendExport(deps, request, record, target, t);
      return void (await progress.end(exportDoneView(request, sent.rows, sent.files, t)));
    }
    if (!target || !record) return void (await progress.end(doneView(request, t, false)));
    await progress.end(doneView(request, t, true));
    await sendResult(deps, request, record, target, t);
  }

  /**
   * Ends the request as `change` says; false, changing nothing, when it is no longer running (another
   * process, holding its lease after this one lost it, ended it first): the end is said once.
   */
  async #settle(
    request: InsightsRequest,
    change: Partial<InsightsRequest>,
    progress: Progress,
  ): Promise<boolean> {
    const { deps } = this;
    const settled = await deps.requests.exclusive(request.id, async () => {
      const latest = (await deps.requests.get(request.id)) ?? request;
      if (latest.status !== 'running') return false;
      Object.assign(request, {
        ...latest,
        ...change,
        usersRead: request.usersRead,
        spentMicro: request.spentMicro,
      });
      await deps.requests.save(request, deps.clock.now());
      return true;
    });
    if (!settled) return false;
    await deps.requests.finish(request.id);
    // A command run again meanwhile shows the read now: the end goes there.
    if (request.progress) progress.retarget(request.progress);
    return true;
  }
}
