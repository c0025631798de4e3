/**
 * The private messages of a request: the estimate with Confirm and Cancel, the progress of the
 * read with a Stop button, and how it ended. Components V2, in the asker's language.
 */
import { type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { nextUtcMidnight } from '../clock.js';
import { encodeCustomId } from '../discord/custom-id.js';
import type { ReplyPayload } from '../discord/replies.js';
import { type ButtonRow, container, separator, textDisplay, V2 } from '../discord/v2.js';
import type { Translator } from '../i18n/translate.js';
import { READ_PRICE_MICRO_USD } from '../x/index.js';
import type { AccountInfo, InsightsRequest, StopCode, Want } from './requests.js';
import { bar, INSIGHTS_BLUE, INSIGHTS_NAMESPACE, listOf, money, nameOf, relative } from './words.js';

const row = (buttons: APIButtonComponent[]): ButtonRow => ({
  type: ComponentType.ActionRow,
  components: buttons,
});

const button = (
  label: string,
  style: ButtonStyle.Success | ButtonStyle.Secondary | ButtonStyle.Danger,
  customId: string,
): APIButtonComponent => ({
  type: ComponentType.Button,
  style,
  label,
  custom_id: customId,
});

const message = (text: string, buttons?: APIButtonComponent[]): ReplyPayload => ({
  components: [
    container(INSIGHTS_BLUE, [textDisplay(text), ...(buttons ? [separator(), row(buttons)] : [])]),
  ],
  flags: V2,
});

/** What the request is for, as a title. */
export function title(want: Want, t: Translator): string {
  const name = nameOf(want.account);
  if (want.kind === 'overlap')
    return t('insights:estimate.title-overlap', { name, other: nameOf(want.other) });
  if (want.kind === 'export')
    return t('insights:estimate.title-export', { what: listOf(t, want.list, want.account) });
  return t('insights:estimate.title-relationships', { name });
}

const accountOf = (want: Want, id: string): AccountInfo =>
  want.kind === 'overlap' && want.other.id === id ? want.other : want.account;

export function estimateView(
  request: InsightsRequest,
  allowance: { left: number; daily: number },
  t: Translator,
): ReplyPayload {
  const lines = request.reads.map((read) => {
    const account = accountOf(request.want, read.accountId);
    const words = { what: listOf(t, read.list, account) };
    if (read.toRead === 0) return `- ${t('insights:estimate.read-cached', words)}`;
    const users = t.whole(read.toRead);
    return read.toRead < read.expected
      ? `- ${t('insights:estimate.read-partial', { ...words, users, total: t.whole(read.expected) })}`
      : `- ${t('insights:estimate.read-new', { ...words, users })}`;
  });
  const price = Math.max(...request.reads.map((r) => READ_PRICE_MICRO_USD[r.kind]));
  const text = [
    `**${title(request.want, t)}**`,
    ...lines,
    t('insights:estimate.cost', { cost: money(t, request.estimateMicro), price: money(t, price) }),
    t('insights:estimate.allowance', {
      left: money(t, allowance.left),
      allowance: money(t, allowance.daily),
    }),
    `-# ${t('insights:estimate.confirm-note')}`,
  ].join('\n');
  return message(text, [
    button(
      t('insights:buttons.confirm'),
      ButtonStyle.Success,
      encodeCustomId(INSIGHTS_NAMESPACE, 'ok', request.id),
    ),
    button(
      t('insights:buttons.cancel'),
      ButtonStyle.Secondary,
      encodeCustomId(INSIGHTS_NAMESPACE, 'no', request.id),
    ),
  ]);
}

export interface ProgressState {
  /** Users read so far for the request, and what the counts promised in all. */
  read: number;
  total: number;
  spentMicro: number;
  /** X's rate limit holds the read until then (clock time). */
  waitingUntil?: number;
  /** When the read should end at the current pace (clock time). */
  endsAt?: number;
  otherRead?: boolean;
  comparing?: boolean;
}

export function progressView(request: InsightsRequest, state: ProgressState, t: Translator): ReplyPayload {
  const shown = Math.min(state.read, Math.max(state.total, state.read));
  const lines = [
    `**${t('insights:progress.title', { what: title(request.want, t) })}**`,
    `\`${bar(shown, state.total)}\` ${t('insights:progress.line', {
      read: t.whole(shown),
      total: t.whole(Math.max(state.total, shown)),
      spent: money(t, state.spentMicro),
    })}`,
  ];
  if (state.comparing) lines.push(t('insights:progress.comparing'));
  else if (state.otherRead) lines.push(t('insights:progress.other-read'));
  else if (state.waitingUntil !== undefined)
    lines.push(t('insights:progress.waiting', { when: relative(state.waitingUntil) }));
  else if (state.endsAt !== undefined)
    lines.push(t('insights:progress.time-left', { when: relative(state.endsAt) }));
  return message(
    lines.join('\n'),
    state.comparing
      ? undefined
      : [
          button(
            t('insights:buttons.stop'),
            ButtonStyle.Danger,
            encodeCustomId(INSIGHTS_NAMESPACE, 'stop', request.id),
          ),
        ],
  );
}

export function handoverView(request: InsightsRequest, state: ProgressState, t: Translator): ReplyPayload {
  const shown = Math.max(state.total, state.read);
  return message(
    [
      `**${t('insights:progress.title', { what: title(request.want, t) })}**`,
      `\`${bar(state.read, shown)}\` ${t('insights:progress.line', {
        read: t.whole(state.read),
        total: t.whole(shown),
        spent: money(t, state.spentMicro),
      })}`,
      t('insights:progress.handover'),
    ].join('\n'),
  );
}

export function stoppedView(
  request: InsightsRequest,
  code: StopCode,
  allowanceMicro: number,
  now: number,
  t: Translator,
) {
  const words = {
    users: t.whole(request.usersRead),
    spent: money(t, request.spentMicro),
    allowance: money(t, allowanceMicro),
    when: relative(nextUtcMidnight(now)),
  };
  return message(
    `**${title(request.want, t)}**\n${t(`insights:outcome.stopped.${code}`, words)}\n-# ${t('insights:outcome.kept')}`,
  );
}

export function doneView(request: InsightsRequest, t: Translator, shownBelow: boolean): ReplyPayload {
  const words = { users: t.whole(request.usersRead), spent: money(t, request.spentMicro) };
  return message(
    `**${title(request.want, t)}**\n${t(shownBelow ? 'insights:outcome.done' : 'insights:outcome.done-later', words)}`,
  );
}

export function cachedView(request: InsightsRequest, t: Translator): ReplyPayload {
  return message(`**${title(request.want, t)}**\n${t('insights:outcome.cached')}`);
}

export function exportDoneView(
  request: InsightsRequest,
  rows: number,
  files: number,
  t: Translator,
): ReplyPayload {
  return message(
    `**${title(request.want, t)}**\n${t('insights:outcome.export-done', {
      rows: t.whole(rows),
      files: t.whole(files),
      spent: money(t, request.spentMicro),
    })}`,
  );
}

/** A one-line private note in a message of its own look (refusals, a cancelled estimate). */
export const noteView = (text: string): ReplyPayload => message(text);
