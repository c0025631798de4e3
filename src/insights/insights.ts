/**
 * /insights and /export, end to end: an estimate before anything is read, Confirm and Cancel for
 * the asker alone, the read (runner.ts), its progress and Stop, and the result's pages. Everything
 * lives in the store, so buttons work after a restart, and `start` resumes what was being read.
 */
import type { LinkedAccounts } from '../accounts/linked-accounts.js';
import { type Clock, nextUtcMidnight, utcDay } from '../clock.js';
import type { Leases } from '../coordination/leases.js';
import type { Locks } from '../coordination/locks.js';
import type { ReplyPayload } from '../discord/replies.js';
import { xHandle } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import type { XClient } from '../x/index.js';
import { Allowance } from './allowance.js';
import { sweepExportFolders } from './csv-files.js';
import { completeResult, sendExport, sendResult } from './deliver.js';
import { FREE_PER_DAY, FreeWork } from './free-work.js';
import { ListReads } from './list-reads.js';
import { allRead, listsOf, planReads } from './plan.js';
import {
  type InsightsRequest,
  Requests,
  type ResultList,
  sameWant,
  type Want,
  type WebhookTarget,
} from './requests.js';
import { RESULT_PAGE, resultPage } from './result-page.js';
import { Results } from './results.js';
import { affordable, Runner } from './runner.js';
import { cachedView, estimateView, exportDoneView, noteView, progressView } from './views.js';
import { WebhookMessages } from './webhook-messages.js';
import { money, relative } from './words.js';

export interface InsightsOptions {
  x: XClient;
  linked: LinkedAccounts;
  store: Store;
  clock: Clock;
  log: Logger;
  locks: Locks;
  leases: Leases;
  discordApiUrl: string | undefined;
  userDailyUsd: number;
  /** TOKEN_ENCRYPTION_KEY: lists read with a person's own token are sealed with it. */
  key: Buffer;
  /** Ids held in memory per list when comparing (compare.ts); tests make it small. */
  partSize?: number;
  /** How long a read's lease outlives a process that stopped renewing it; tests make it short. */
  leaseTtlMs?: number;
}

/** An estimate can be confirmed this long: counts, caches and the budget move. */
export const ESTIMATE_TTL_MS = 15 * 60_000;
/** How often running requests no process reads (one that died) are looked for. */
const ADOPT_EVERY_MS = 30_000;

export interface Asked {
  /** Who asks, in which language, and whether a result may be shown to the channel. */
  ownerId: string;
  locale: string;
  publicResult: boolean;
  attachmentLimit: number;
  want: Want;
}

/**
 * The command's private answer, and what to do through its webhook once it is sent; `abandon`
 * when it could not be sent, so that what `after` would have finished is let go.
 */
export interface Answer {
  payload: ReplyPayload;
  after?: (target: WebhookTarget) => Promise<void>;
  abandon?: () => void;
}

export class Insights {
  readonly reads: ListReads;
  readonly results: Results;
  readonly requests: Requests;
  readonly allowance: Allowance;
  readonly messages: WebhookMessages;
  readonly runner: Runner;
  readonly free: FreeWork;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: InsightsOptions) {
    this.reads = new ListReads(o.store, o.clock, o.key);
    this.results = new Results(o.store, o.clock, o.key, o.locks);
    this.requests = new Requests(o.store, o.locks);
    this.allowance = new Allowance(o.store, o.clock, Math.round(o.userDailyUsd * 1_000_000));
    this.messages = new WebhookMessages(o.discordApiUrl);
    this.runner = new Runner({ ...o, ...this.#parts() });
    this.free = new FreeWork(o.store, o.clock, o.locks);
  }

  #parts() {
    return {
      reads: this.reads,
      results: this.results,
      requests: this.requests,
      allowance: this.allowance,
      messages: this.messages,
      ...(this.o.partSize ? { partSize: this.o.partSize } : {}),
    };
  }

  /** The estimate, or the result at once when today's reads hold everything, or why not. */
  async ask(asked: Asked, t: Translator): Promise<Answer> {
    const { want } = asked;
    if (want.kind === 'overlap' && want.account.id === want.other.id)
      return { payload: noteView(t('insights:refusals.same-account')) };
    const linkedXUserId = (await this.o.linked.get(asked.ownerId))?.xUserId;
    const plan = await planReads({ x: this.o.x, reads: this.reads }, want, linkedXUserId);
    const locked = plan.locked[0];
    if (locked) return { payload: noteView(t('insights:refusals.protected', { handle: xHandle(locked) })) };
    const now = this.o.clock.now();
    const request: InsightsRequest = {
      id: Requests.newId(),
      ownerId: asked.ownerId,
      locale: asked.locale,
      day: utcDay(now),
      want,
      reads: plan.reads,
      estimateMicro: plan.estimateMicro,
      status: 'estimate',
      createdAt: now,
      // A protected account's lists are for its approved followers: read with its owner's own
      // token, the result is shown to the owner alone, never posted to the channel.
      publicResult: asked.publicResult && !listsOf(want).some(({ account }) => account.protected),
      attachmentLimit: asked.attachmentLimit,
      spentMicro: 0,
      usersRead: 0,
    };
    if (await allRead(this, plan.reads)) return this.#fromToday(request, t);

    const running = await this.requests.runningOf(asked.ownerId);
    if (running && sameWant(running.want, want))
      return {
        payload: progressView(
          running,
          {
            read: running.reads.reduce((n, r) => n + r.expected - r.toRead, 0) + running.usersRead,
            total: running.reads.reduce((n, r) => n + r.expected, 0),
            spentMicro: running.spentMicro,
          },
          t,
        ),
        after: (target) => this.#watch(running.id, target),
      };
    if (running) return { payload: noteView(t('insights:refusals.own-running')) };
    const refusal = await this.#refusal(request, t);
    if (refusal) return { payload: noteView(refusal) };
    await this.requests.save(request, now);
    const left = await this.allowance.left(asked.ownerId);
    return { payload: estimateView(request, { left, daily: this.allowance.dailyMicro }, t) };
  }

  /** Why the request cannot be paid for now, if it cannot. */
  async #refusal(request: InsightsRequest, t: Translator): Promise<string | undefined> {
    const when = relative(nextUtcMidnight(this.o.clock.now()));
    const cost = money(t, request.estimateMicro);
    const left = await this.allowance.left(request.ownerId);
    if (request.estimateMicro > left)
      return t('insights:refusals.allowance', {
        cost,
        left: money(t, left),
        allowance: money(t, this.allowance.dailyMicro),
        when,
      });
    if (!affordable(this.o.x, request.estimateMicro)) return t('insights:refusals.budget', { cost, when });
    return undefined;
  }

  /** Everything is read today: the result (or the export) at no cost to X, without a Confirm. */
  async #fromToday(request: InsightsRequest, t: Translator): Promise<Answer> {
    const slot = await this.free.claim(request.ownerId);
    if ('refused' in slot)
      return {
        payload: noteView(
          t(`insights:refusals.${slot.refused}`, {
            limit: FREE_PER_DAY,
            when: relative(nextUtcMidnight(this.o.clock.now())),
          }),
        ),
      };
    // The slot is the person's from the comparison until the result or the files are sent.
    let record: Awaited<ReturnType<typeof completeResult>>;
    try {
      request.status = 'done';
      record = await slot.run(() => completeResult(this.#parts(), request));
      if (record) request.resultKey = record.key;
      await this.requests.save(request, this.o.clock.now());
    } catch (error) {
      slot.release();
      throw error;
    }
    const abandon = () => slot.release();
    if (request.want.kind === 'export') {
      return {
        payload: progressView(request, { read: 0, total: 0, spentMicro: 0, comparing: true }, t),
        after: (target) =>
          slot
            .run(async () => {
              const sent = await sendExport(this.#parts(), request, record, target, t);
              await this.messages.editOriginal(target, exportDoneView(request, sent.rows, sent.files, t));
            })
            .finally(abandon),
        abandon,
      };
    }
    return {
      payload: cachedView(request, t),
      after: async (target) => {
        try {
          if (record) await slot.run(() => sendResult(this.#parts(), request, record, target, t));
        } finally {
          abandon();
        }
      },
      abandon,
    };
  }

  async #watch(id: string, target: WebhookTarget): Promise<void> {
    await this.requests.exclusive(id, async () => {
      const request = await this.requests.get(id);
      if (request?.status === 'running')
        await this.requests.save({ ...request, progress: target }, this.o.clock.now());
    });
  }

  /**
   * Confirm: the asker's own estimate, still fresh, still affordable, starts reading; `target` is
   * the click's webhook, where progress is shown. Words to answer with otherwise.
   */
  async confirm(
    id: string,
    clickerId: string,
    target: WebhookTarget,
    t: Translator,
  ): Promise<
    { started: InsightsRequest } | { refused: string; ownerId?: string; alreadyConfirmed?: boolean }
  > {
    const result = await this.requests.exclusive(id, async () => {
      const request = await this.requests.get(id);
      const now = this.o.clock.now();
      if (!request) return { refused: t('insights:refusals.expired') };
      if (request.ownerId !== clickerId) return { refused: '', ownerId: request.ownerId };
      // A second click on Confirm: the first one's read is under way on this very message.
      if (request.status === 'running' || request.status === 'done')
        return { refused: t('insights:refusals.confirmed'), alreadyConfirmed: true };
      if (
        request.status !== 'estimate' ||
        now - request.createdAt > ESTIMATE_TTL_MS ||
        utcDay(now) !== request.day
      )
        return { refused: t('insights:refusals.expired') };
      const linkedXUserId = (await this.o.linked.get(clickerId))?.xUserId;
      const plan = await planReads({ x: this.o.x, reads: this.reads }, request.want, linkedXUserId);
      const next: InsightsRequest = { ...request, reads: plan.reads, estimateMicro: plan.estimateMicro };
      const refusal = await this.#refusal(next, t);
      if (refusal) return { refused: refusal };
      const slot = await this.requests.start(next);
      if (slot) return { refused: t(`insights:refusals.${slot}`) };
      const started: InsightsRequest = { ...next, status: 'running', progress: target };
      await this.requests.save(started, now);
      return { started };
    });
    return result;
  }

  /** Starts reading a confirmed request in this process. */
  launch(id: string): void {
    this.runner.launch(id);
  }

  /** Cancel on an estimate: nothing was read, and the estimate is forgotten. */
  async dismiss(id: string, clickerId: string): Promise<{ ownerId?: string; ok: boolean }> {
    return this.requests.exclusive(id, async () => {
      const request = await this.requests.get(id);
      if (request?.status !== 'estimate') return { ok: false };
      if (request.ownerId !== clickerId) return { ok: false, ownerId: request.ownerId };
      await this.requests.save({ ...request, status: 'stopped', stop: 'cancelled' }, this.o.clock.now());
      return { ok: true };
    });
  }

  /** Stop on a running read: it ends before its next page, wherever it runs. */
  async cancel(id: string, clickerId: string): Promise<{ ownerId?: string; ok: boolean }> {
    const result = await this.requests.exclusive(id, async () => {
      const request = await this.requests.get(id);
      if (request?.status !== 'running') return { ok: false };
      if (request.ownerId !== clickerId) return { ok: false, ownerId: request.ownerId };
      await this.requests.save({ ...request, cancelRequested: true }, this.o.clock.now());
      return { ok: true };
    });
    if (result.ok) {
      this.runner.interrupt(id);
      // Read nowhere (its process died): it is resumed here and stops at once, saying so.
      this.runner.launch(id);
    }
    return result;
  }

  /** A page of a result, for its asker. */
  async page(
    id: string,
    clickerId: string,
    list: ResultList,
    page: number,
    t: Translator,
  ): Promise<{ payload: ReplyPayload } | { ownerId: string } | { gone: true }> {
    const request = await this.requests.get(id);
    if (!request?.resultKey) return { gone: true };
    if (request.ownerId !== clickerId) return { ownerId: request.ownerId };
    const record = await this.results.get(request.resultKey);
    const count = record?.counts[list];
    if (!record || count === undefined) return { gone: true };
    // A page past the end (a forged custom_id) shows the last page.
    page = Math.min(page, Math.max(0, Math.ceil(count / RESULT_PAGE) - 1));
    const rows = await this.results.slice(record.key, list, page * RESULT_PAGE, RESULT_PAGE);
    return { payload: resultPage(request, record, list, page, rows, t) };
  }

  /**
   * At /unlink: what was read of `xUserId`'s own lists with its owner's token (today's and
   * yesterday's, the days kept) and every result computed from it, deleted. A read running on it
   * stops at its next page, the link being gone.
   */
  async forgetOwnReads(xUserId: string): Promise<void> {
    const now = this.o.clock.now();
    for (const day of [utcDay(now), utcDay(now - 24 * 60 * 60_000)]) {
      for (const list of ['followers', 'following'] as const)
        await this.reads.forgetOwners(day, list, xUserId);
      await this.results.forgetOwners(day, xUserId);
    }
  }

  /** Resumes what was being read, and adopts every 30 s what a process that died was reading. */
  start(): void {
    if (this.#timer) return;
    void sweepExportFolders().then(
      (removed) => removed && this.o.log.info('removed export folders a crash left', { removed }),
      (error: unknown) => this.o.log.warn('could not sweep old export folders', { error }),
    );
    void this.tick();
    this.#timer = setInterval(() => void this.tick(), ADOPT_EVERY_MS);
    this.#timer.unref();
  }

  /** Launches every running request not read here (each runs where its lease is won). */
  async tick(): Promise<void> {
    try {
      for (const id of await this.requests.running()) this.runner.launch(id);
    } catch (error) {
      this.o.log.warn('could not resume insights reads', { error });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.runner.stopAll();
    this.messages.close();
  }
}
