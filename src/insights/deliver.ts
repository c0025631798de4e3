/**
 * What a request gives once its lists are read: the comparison (computed once a UTC day and kept),
 * its first page as a message (public where Flock's bot is in the place, like /followers), or the
 * CSV files of an export, written to a temporary folder, sent one file to a message, and removed.
 */
import { rm } from 'node:fs/promises';
import type { Translator } from '../i18n/translate.js';
import { type CompareDeps, distinctRows, overlap, relationships } from './compare.js';
import { exportFolder, writeCsvFiles } from './csv-files.js';
import type { ListReads } from './list-reads.js';
import type { InsightsRequest, RelationshipList, WebhookTarget } from './requests.js';
import { firstList, RESULT_PAGE, resultPage } from './result-page.js';
import type { ResultRecord, Results } from './results.js';
import type { UserRow } from './user-row.js';
import type { WebhookMessages } from './webhook-messages.js';
import { listOf } from './words.js';

export interface DeliverDeps extends CompareDeps {
  reads: ListReads;
  results: Results;
  messages: WebhookMessages;
}

/** The stored comparison a request shows or exports, if it needs one. */
export function resultKeyOf(request: InsightsRequest): string | undefined {
  const { want, day } = request;
  if (want.kind === 'overlap') return `overlap:${day}:${want.account.id}:${want.other.id}`;
  if (want.kind === 'export' && (want.list === 'followers' || want.list === 'following')) return undefined;
  return `relationships:${day}:${want.account.id}`;
}

/** Computes the request's comparison from its reads, unless today's is stored already. */
export async function completeResult(
  deps: DeliverDeps,
  request: InsightsRequest,
): Promise<ResultRecord | undefined> {
  const key = resultKeyOf(request);
  if (!key) return undefined;
  const known = await deps.results.get(key);
  if (known) return known;
  const [first, second] = await Promise.all(
    request.reads.map((read) => deps.reads.current(read.list, read.accountId, request.day)),
  );
  if (!first?.done || !second?.done) throw new Error(`the lists of request ${request.id} are not read whole`);
  return request.want.kind === 'overlap'
    ? overlap(deps, key, first, second)
    : relationships(deps, key, first, second);
}

/** The first page of the result, as a message of its own. */
export async function sendResult(
  deps: DeliverDeps,
  request: InsightsRequest,
  record: ResultRecord,
  target: WebhookTarget,
  t: Translator,
): Promise<void> {
  const list = firstList(request);
  const rows = await deps.results.slice(record.key, list, 0, RESULT_PAGE);
  await deps.messages.followUp(target, resultPage(request, record, list, 0, rows, t), {
    ephemeral: !request.publicResult,
  });
}

/** Writes and sends the export's CSV files, privately; resolves to the rows and files sent. */
export async function sendExport(
  deps: DeliverDeps,
  request: InsightsRequest,
  record: ResultRecord | undefined,
  target: WebhookTarget,
  t: Translator,
): Promise<{ rows: number; files: number }> {
  const want = request.want;
  if (want.kind !== 'export') throw new Error('only an export has CSV files');
  const dir = await exportFolder();
  try {
    const files = await writeCsvFiles(await rowsOf(deps, request, record), {
      dir,
      baseName: `${want.account.username.replace(/[^A-Za-z0-9_]/g, '_')}-${want.list}-${request.day}`,
      maxBytes: request.attachmentLimit,
    });
    const words = { what: listOf(t, want.list, want.account) };
    for (const [i, file] of files.entries()) {
      const rows = t.whole(file.rows);
      const content =
        files.length === 1
          ? t('insights:csv.file', { ...words, rows })
          : t('insights:csv.part', { ...words, rows, part: t.whole(i + 1), parts: t.whole(files.length) });
      await deps.messages.followUp(target, { content }, { ephemeral: true, file });
    }
    return { rows: files.reduce((n, f) => n + f.rows, 0), files: files.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rowsOf(
  deps: DeliverDeps,
  request: InsightsRequest,
  record: ResultRecord | undefined,
): Promise<AsyncIterable<UserRow[]>> {
  const want = request.want;
  if (want.kind !== 'export') throw new Error('only an export has rows to write');
  if (want.list === 'followers' || want.list === 'following')
    return distinctRows(deps, await deps.reads.current(want.list, want.account.id, request.day));
  if (!record) throw new Error(`export ${request.id} has no comparison`);
  const list: RelationshipList = want.list;
  return deps.results.chunks(record.key, list, record.counts[list] ?? 0);
}
