/**
 * A page of a followers/following list as Discord shows it: one embed of up to ten accounts
 * and a row of buttons (First · Prev · page indicator · Next), disabled where they lead nowhere.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { xHandle, xHandleLink, xName, xProfileUrl } from '../discord/x-text.js';
import type { UserPage, XUser } from '../x/index.js';
import { formatCount, formatWhole } from './format.js';
import { PAGE_SIZE } from './page-cache.js';
import type { PagingSession } from './sessions.js';

export const PAGE_NAMESPACE = 'page';
const X_BLUE = 0x1d9bf0;

export interface RenderedPage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

export function marks(user: Pick<XUser, 'verified' | 'protected'>): string {
  return `${user.verified ? ' ☑️' : ''}${user.protected ? ' 🔒' : ''}`;
}

// Ten lines of at most ~250 units each stay well inside the description's 4,096.
function line(user: XUser, n: number): string {
  const name = xName(user, 64);
  const handle = xHandleLink(user);
  const followers = user.public_metrics
    ? ` · ${formatCount(user.public_metrics.followers_count)} followers`
    : '';
  return `\`${String(n).padStart(2)}.\` **${name}**${marks(user)} ${handle}${followers}`;
}

export function renderPage(session: PagingSession, pageIndex: number, page: UserPage): RenderedPage {
  const { account, list } = session;
  const title = `${list === 'followers' ? 'Followers of' : 'Followed by'} ${xName(account, 120)} (${xHandle(account)})`;
  const first = pageIndex * PAGE_SIZE + 1;
  const description = page.users.length
    ? page.users.map((user, i) => line(user, first + i)).join('\n')
    : pageIndex === 0
      ? `${xHandle(account)} ${list === 'followers' ? 'has no followers' : "doesn't follow anyone"} that X shows.`
      : 'X shows no accounts on this page (some may be suspended or deactivated).';
  const total =
    account.total === undefined
      ? ''
      : ` · ${formatWhole(account.total)} ${list === 'followers' ? 'followers' : 'following'}`;
  const embed: APIEmbed = {
    color: X_BLUE,
    title,
    url: xProfileUrl(account, list),
    description,
    footer: {
      text: `Page ${pageIndex + 1}${session.lastPage !== undefined ? ` of ${session.lastPage + 1}` : ''}${total}`,
    },
  };
  const hasNext = Boolean(page.nextToken);
  return { embeds: [embed], components: [buttons(session, pageIndex, hasNext)] };
}

function buttons(
  session: PagingSession,
  pageIndex: number,
  hasNext: boolean,
): APIActionRowComponent<APIButtonComponent> {
  const go = (target: number, tag: string) => encodeCustomId(PAGE_NAMESPACE, 'go', session.id, target, tag);
  const atStart = pageIndex === 0;
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'First',
        emoji: { name: '⏮️' },
        custom_id: go(0, 'f'),
        disabled: atStart,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'Prev',
        emoji: { name: '◀️' },
        custom_id: go(Math.max(0, pageIndex - 1), 'p'),
        disabled: atStart,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: `Page ${pageIndex + 1}`,
        custom_id: encodeCustomId(PAGE_NAMESPACE, 'at', session.id),
        disabled: true,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: 'Next',
        emoji: { name: '▶️' },
        custom_id: go(pageIndex + 1, 'n'),
        disabled: !hasNext,
      },
    ],
  };
}

/** The same rows with every button disabled, for a list whose session has expired. */
export function disableAll(
  rows: readonly { components: readonly unknown[] }[],
): APIActionRowComponent<APIButtonComponent>[] {
  return rows.map((row) => ({
    type: ComponentType.ActionRow,
    components: (row.components as APIButtonComponent[]).map((button) => ({ ...button, disabled: true })),
  }));
}
