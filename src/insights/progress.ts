/**
 * The asker's message while a request is read: edited through an interaction's webhook (the
 * Confirm click's, or that of a later command that looked in) at most once a second, and at once
 * when something changes (a rate-limit wait, the end). An interaction's token lives 15 minutes;
 * a minute before it dies, a read still going says once that it goes on without the message, and
 * that running the command again (free) follows it. Flock does not post a normal message instead:
 * the estimate and the spend are the asker's own, and where Flock's bot is not in the place
 * (a user install, a group DM) it could not post one at all.
 */
import type { Clock } from '../clock.js';
import type { ReplyPayload } from '../discord/replies.js';
import type { Translator } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import type { XClient } from '../x/index.js';
import { FULL_PAGE } from './read-list.js';
import type { InsightsRequest, PlannedRead, WebhookTarget } from './requests.js';
import { handoverView, type ProgressState, progressView } from './views.js';
import type { WebhookMessages } from './webhook-messages.js';

const EDIT_EVERY_MS = 1_000;
const WINDOW_MS = 15 * 60_000;

export class Progress {
  #target: WebhookTarget | undefined;
  #handover: NodeJS.Timeout | undefined;
  #state: ProgressState;
  readonly #perRead: number[];
  readonly #runStart: number;
  #pages = 0;
  #lastEdit = Number.NEGATIVE_INFINITY;
  #edits: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(
    private readonly deps: { messages: WebhookMessages; clock: Clock; x: XClient; log: Logger },
    private readonly request: InsightsRequest,
    readonly t: Translator,
  ) {
    this.#perRead = request.reads.map((r) => r.expected - r.toRead);
    this.#runStart = deps.clock.now();
    this.#state = {
      read: this.#read(),
      total: request.reads.reduce((n, r) => n + r.expected, 0),
      spentMicro: request.spentMicro,
    };
    if (request.progress) this.retarget(request.progress);
  }

  #read(): number {
    return this.#perRead.reduce((a, b) => a + b, 0);
  }

  /** Shows progress on `target` from now on (a later command that looked in). */
  retarget(target: WebhookTarget): void {
    if (this.#target?.token === target.token) return;
    // The older message stops following the read, and says where to look.
    const old = this.liveTarget();
    if (old) this.#handOver(old);
    this.#target = target;
    clearTimeout(this.#handover);
    this.#handover = setTimeout(() => this.#handOver(target), Math.max(0, target.expiresAt - Date.now()));
    this.#handover.unref();
  }

  /** The target while its token lives. */
  liveTarget(): WebhookTarget | undefined {
    return this.#target && Date.now() < this.#target.expiresAt ? this.#target : undefined;
  }

  /** A page of `planned` was stored: the list now holds `users`. */
  page(planned: PlannedRead, users: number): void {
    const index = this.request.reads.indexOf(planned);
    if (index >= 0) this.#perRead[index] = users;
    this.#pages += 1;
    this.show({}, false);
  }

  show(change: Partial<ProgressState>, force: boolean): void {
    const now = this.deps.clock.now();
    this.#state = {
      ...this.#state,
      waitingUntil: undefined,
      otherRead: undefined,
      ...change,
      read: this.#read(),
      spentMicro: this.request.spentMicro,
      endsAt: this.#endsAt(now),
    };
    if (!force && performance.now() - this.#lastEdit < EDIT_EVERY_MS) return;
    this.#edit(progressView(this.request, this.#state, this.t));
  }

  /** When the read should end at the pace of this run, rate-limit waits included. */
  #endsAt(now: number): number | undefined {
    if (this.#pages === 0) return undefined;
    const pagesLeft = Math.ceil(Math.max(0, this.#state.total - this.#read()) / FULL_PAGE);
    const perPage = (now - this.#runStart) / this.#pages;
    const limit = this.deps.x.bucketLimit('GET /2/users/:id/followers');
    // Past one window's worth of requests, each further window is 15 minutes whatever the pace.
    const windows = limit && pagesLeft > limit ? Math.floor(pagesLeft / limit) : 0;
    return now + pagesLeft * perPage + windows * WINDOW_MS;
  }

  #edit(payload: ReplyPayload): void {
    const target = this.liveTarget();
    if (!target || this.#ended) return;
    this.#lastEdit = performance.now();
    this.#edits = this.#edits
      .then(() => this.deps.messages.editOriginal(target, payload))
      .catch((error: unknown) => this.deps.log.warn('could not show insights progress', { error }));
  }

  #handOver(target: WebhookTarget): void {
    if (this.#ended || this.#target !== target) return;
    const payload = handoverView(this.request, this.#state, this.t);
    this.#edits = this.#edits
      .then(() => this.deps.messages.editOriginal(target, payload))
      .catch((error: unknown) => this.deps.log.warn('could not hand an insights read over', { error }));
    this.#target = undefined;
  }

  /** The last edit: how the request ended. Waits for the edits before it. */
  async end(payload: ReplyPayload): Promise<void> {
    this.#edit(payload);
    this.#ended = true;
    await this.#edits;
  }

  close(): void {
    clearTimeout(this.#handover);
    this.#ended = true;
  }
}
