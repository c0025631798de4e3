/**
 * A page of a comparison's result, in the look of /followers (render-page.ts): a heading with the
 * counts, then 10 accounts with their avatars, then Prev · Next and, for relationships, a button
 * per list. Rows come from what the reads stored: turning a page never asks X. Only the person
 * who asked may turn the pages. A full relationships page is 40 components, Discord's most.
 */
import { type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import type { ReplyPayload } from '../discord/replies.js';
import { type ButtonRow, container, separator, textDisplay, V2, withThumbnail } from '../discord/v2.js';
import { xHandleLink, xName } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import { countOf, marks } from '../paging/render-page.js';
import type { AccountInfo, InsightsRequest, ResultList } from './requests.js';
import { RELATIONSHIP_LISTS } from './requests.js';
import type { ResultRecord } from './results.js';
import { rowUser, type UserRow } from './user-row.js';
import { handleOf, INSIGHTS_BLUE, INSIGHTS_NAMESPACE, listName, nameOf, percent } from './words.js';

export const RESULT_PAGE = 10;

function entry(row: UserRow, n: number, t: Translator) {
  const user = rowUser(row);
  const count = user.public_metrics?.followers_count ?? 0;
  const text = `\`${String(n).padStart(2)}.\` **${xName(user, 64)}**${marks(user)}\n${xHandleLink(user)} · ${countOf(t, 'followers', count, t.count(count))}`;
  return withThumbnail(text, user.profile_image_url);
}

const pagesOf = (count: number) => Math.max(1, Math.ceil(count / RESULT_PAGE));

function go(request: InsightsRequest, list: ResultList, page: number, tag: string): string {
  return encodeCustomId(INSIGHTS_NAMESPACE, 'go', request.id, list, page, tag);
}

function headingOf(
  request: InsightsRequest,
  record: ResultRecord,
  list: ResultList,
  page: number,
  t: Translator,
) {
  const want = request.want;
  const count = record.counts[list] ?? 0;
  const where = `**${t('insights:result.view', { list: listName(t, list), total: t.whole(count) })}** · ${t(
    'insights:result.page-of',
    { page: t.whole(page + 1), pages: t.whole(pagesOf(count)) },
  )}`;
  const explain = `-# ${t(`insights:result.explain.${list}`, { handle: handleOf(want.account) })}`;
  if (want.kind === 'overlap') {
    const share = (account: AccountInfo) => {
      const total = record.counts.accounts?.[account.id] ?? 0;
      const only = Math.max(0, total - (record.counts.shared ?? 0));
      return `- ${t('insights:result.exclusive-share', {
        handle: handleOf(account),
        only: t.whole(only),
        share: percent(t, only, total),
        total: t.whole(total),
      })}`;
    };
    return [
      `**${t('insights:result.title-overlap', { name: nameOf(want.account), other: nameOf(want.other) })}**`,
      t('insights:result.overlap-counts', { shared: t.whole(record.counts.shared ?? 0) }),
      share(want.account),
      share(want.other),
      where,
      explain,
    ].join('\n');
  }
  return [
    `**${t('insights:result.title-relationships', { name: nameOf(want.account) })}** (${xHandleLink(want.account)})`,
    t('insights:result.counts', {
      mutuals: t.whole(record.counts.mutuals ?? 0),
      notBack: t.whole(record.counts['not-following-back'] ?? 0),
      fans: t.whole(record.counts.fans ?? 0),
    }),
    where,
    explain,
  ].join('\n');
}

export function resultPage(
  request: InsightsRequest,
  record: ResultRecord,
  list: ResultList,
  page: number,
  rows: UserRow[],
  t: Translator,
): ReplyPayload {
  const count = record.counts[list] ?? 0;
  const first = page * RESULT_PAGE + 1;
  const entries = rows.length
    ? rows.map((row, i) => entry(row, first + i, t))
    : [textDisplay(t('insights:result.empty'))];
  const turn: ButtonRow = {
    type: ComponentType.ActionRow,
    components: [
      pageButton(t('paging:buttons.prev'), '◀️', go(request, list, Math.max(0, page - 1), 'p'), page === 0),
      pageButton(t('paging:buttons.next'), '▶️', go(request, list, page + 1, 'n'), page + 1 >= pagesOf(count)),
    ],
  };
  const views: ButtonRow[] =
    request.want.kind === 'overlap'
      ? []
      : [
          {
            type: ComponentType.ActionRow,
            components: RELATIONSHIP_LISTS.map((other) => ({
              type: ComponentType.Button,
              style: other === list ? ButtonStyle.Primary : ButtonStyle.Secondary,
              label: t('insights:result.view', {
                list: listName(t, other),
                total: t.whole(record.counts[other] ?? 0),
              }),
              custom_id: go(request, other, 0, 'v'),
            })),
          },
        ];
  return {
    components: [
      container(INSIGHTS_BLUE, [
        textDisplay(headingOf(request, record, list, page, t)),
        ...entries,
        separator(),
        turn,
        ...views,
      ]),
    ],
    flags: V2,
  };
}

function pageButton(label: string, emoji: string, customId: string, disabled: boolean): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    emoji: { name: emoji },
    custom_id: customId,
    disabled,
  };
}

/** The list a request's result opens on. */
export const firstList = (request: InsightsRequest): ResultList =>
  request.want.kind === 'overlap' ? 'shared' : 'mutuals';
