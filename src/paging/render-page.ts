/**
 * A page of a followers/following list as Discord shows it, in Components V2: a Container with a
 * heading (whose list, the total, page k of n), one Section per account (name, marks, @username
 * linked to the profile, followers; the avatar as its Thumbnail), a Separator and a row of
 * buttons (First · Prev · page indicator · Next), disabled where they lead nowhere.
 *
 * Ten accounts make 38 components of Discord's 40. The text stays far inside Discord's limits
 * in bytes too (a name of 64 units, a handle of 41: about 400 UTF-8 bytes an account even in
 * Japanese, against ~10,000 for the message).
 */
import { type APIMessageTopLevelComponent, ButtonStyle, ComponentType } from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { type ButtonRow, container, separator, textDisplay, V2, withThumbnail } from '../discord/v2.js';
import { xHandle, xHandleLink, xName, xProfileUrl } from '../discord/x-text.js';
import { USERNAME_PATTERN, type UserPage, type XUser } from '../x/index.js';
import { formatCount, formatWhole } from './format.js';
import { PAGE_SIZE } from './page-cache.js';
import type { PagingSession } from './sessions.js';

export const PAGE_NAMESPACE = 'page';
/** A list offers "Go to page" once this many of its pages can be opened. */
export const JUMP_FROM_PAGES = 4;
export const X_BLUE = 0x1d9bf0;

export interface RenderedPage {
  components: APIMessageTopLevelComponent[];
  flags: number;
}

export function marks(user: Pick<XUser, 'verified' | 'protected'>): string {
  return `${user.verified ? ' ☑️' : ''}${user.protected ? ' 🔒' : ''}`;
}

function entry(user: XUser, n: number) {
  const followers = user.public_metrics
    ? ` · ${formatCount(user.public_metrics.followers_count)} followers`
    : '';
  const text = `\`${String(n).padStart(2)}.\` **${xName(user, 64)}**${marks(user)}\n${xHandleLink(user)}${followers}`;
  return withThumbnail(text, user.profile_image_url);
}

export function renderPage(session: PagingSession, pageIndex: number, page: UserPage): RenderedPage {
  const { account, list } = session;
  // The handle links to the list on X; one X could not have issued links to the profile by id.
  const listLink = USERNAME_PATTERN.test(account.username)
    ? `[${xHandle(account)}](${xProfileUrl(account, list)})`
    : xHandleLink(account);
  const title = `${list === 'followers' ? 'Followers of' : 'Followed by'} ${xName(account, 120)}`;
  const total =
    account.total === undefined
      ? ''
      : ` · ${formatWhole(account.total)} ${list === 'followers' ? 'followers' : 'following'}`;
  const where = `Page ${pageIndex + 1}${session.lastPage !== undefined ? ` of ${session.lastPage + 1}` : ''}${total}`;
  // Bold rather than a heading: no line Flock writes starts with markdown, so a line that does
  // can only be X text left live, which tests look for.
  const heading = textDisplay(`**${title}** (${listLink})\n${where}`);
  const first = pageIndex * PAGE_SIZE + 1;
  const accounts = page.users.length
    ? page.users.map((user, i) => entry(user, first + i))
    : [
        textDisplay(
          pageIndex === 0
            ? `${xHandle(account)} ${list === 'followers' ? 'has no followers' : "doesn't follow anyone"} that X shows.`
            : 'X shows no accounts on this page (some may be suspended or deactivated).',
        ),
      ];
  const hasNext = Boolean(page.nextToken);
  return {
    components: [
      container(X_BLUE, [heading, ...accounts, separator(), buttons(session, pageIndex, hasNext)]),
    ],
    flags: V2,
  };
}

function buttons(session: PagingSession, pageIndex: number, hasNext: boolean): ButtonRow {
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
      // The fifth button of the row, and the 39th component of a full page.
      ...(session.tokens.length >= JUMP_FROM_PAGES
        ? [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: 'Go to page',
              emoji: { name: '🔢' },
              custom_id: encodeCustomId(PAGE_NAMESPACE, 'ask', session.id),
            } as const,
          ]
        : []),
    ],
  };
}

type Json = { type?: unknown; style?: unknown; components?: unknown; accessory?: unknown };

/**
 * The same components (rows of an embed message, or a V2 tree) with every button that is not a
 * link disabled, for a list whose session has expired.
 */
export function disableAll<T>(components: readonly T[]): T[] {
  return components.map((component) => disable(component));
}

function disable<T>(component: T): T {
  const c = component as Json;
  const out: Record<string, unknown> = { ...c };
  if (c.type === ComponentType.Button && c.style !== ButtonStyle.Link) out.disabled = true;
  if (Array.isArray(c.components)) out.components = c.components.map((child) => disable(child));
  if (c.accessory) out.accessory = disable(c.accessory);
  return out as T;
}
