/**
 * A page of a followers/following list (or of the owner's own blocks or mutes, which add a note to
 * the heading) as Discord shows it, in Components V2: a Container with a heading (whose list, the
 * total, page k of n), one Section per account (name, marks, @username linked to the profile,
 * followers; the avatar as its Thumbnail), a Separator and a row of buttons (First · Prev · page
 * indicator · Next), disabled where they lead nowhere. Its words are in the language of the person
 * who owns the list: only they can turn its pages.
 *
 * Ten accounts make 38 components of Discord's 40. The text stays far inside Discord's limits
 * in bytes too (a name of 64 units, a handle of 41: about 400 UTF-8 bytes an account even in
 * Japanese, against ~10,000 for the message).
 */
import { type APIMessageTopLevelComponent, ButtonStyle, ComponentType } from 'discord.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { type ButtonRow, container, separator, textDisplay, V2, withThumbnail } from '../discord/v2.js';
import { xHandle, xHandleLink, xName, xProfileUrl } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import { type FollowList, USERNAME_PATTERN, type UserPage, type XUser } from '../x/index.js';
import { PAGE_SIZE } from './page-cache.js';
import { RecentMemo } from './recent-memo.js';
import { memoized } from './render-memo.js';
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

/** "12,345 followers", "1.2万 フォロワー": `shown` is the number as written, `n` chooses the plural. */
export function countOf(t: Translator, list: FollowList | 'posts', n: number, shown: string): string {
  return t(`paging:counts.${list}`, { count: n, total: shown });
}

/**
 * An account's name and handle as markdown, escaped once per account object: a cached page hands
 * out the same objects at every click, and escaping X text is most of what rendering a page costs.
 */
const escapedNames = new WeakMap<XUser, { name: string; handle: string }>();

function names(user: XUser): { name: string; handle: string } {
  let known = escapedNames.get(user);
  if (!known) {
    known = { name: `**${xName(user, 64)}**${marks(user)}`, handle: xHandleLink(user) };
    escapedNames.set(user, known);
  }
  return known;
}

function entry(user: XUser, n: number, t: Translator) {
  const count = user.public_metrics?.followers_count;
  const followers = count === undefined ? '' : ` · ${countOf(t, 'followers', count, t.count(count))}`;
  const { name, handle } = names(user);
  const text = `\`${String(n).padStart(2)}.\` ${name}\n${handle}${followers}`;
  return withThumbnail(text, user.profile_image_url);
}

const sectionsMade = new WeakMap<UserPage, Map<string, ReturnType<typeof entry>[]>>();
/** By what they are made of: each new list has an account object of its own. */
const wordsMade = new RecentMemo<ReturnType<typeof makeListWords>>(500);

/** A list's title, its link on X, what an empty first page says, and a note for own lists. */
function listWords(session: PagingSession, t: Translator) {
  const { account, list } = session;
  const key = `${t.locale}\n${list}\n${account.id}\n${account.username}\n${account.name}`;
  const known = wordsMade.get(key);
  if (known) return known;
  const words = Object.freeze(makeListWords(session, t));
  wordsMade.set(key, words);
  return words;
}

function makeListWords(session: PagingSession, t: Translator) {
  const { account, list } = session;
  const handle = xHandle(account);
  if (list === 'blocking' || list === 'muting') {
    const blocks = list === 'blocking';
    return {
      title: blocks ? t('moderation:list.blocks-title') : t('moderation:list.mutes-title'),
      // The owner's own profile: X shows nobody else these lists.
      link: xHandleLink(account),
      empty: blocks ? t('moderation:list.no-blocks') : t('moderation:list.no-mutes'),
      note: blocks ? t('moderation:list.blocks-note') : t('moderation:list.mutes-note'),
    };
  }
  const name = xName(account, 120);
  return {
    title:
      list === 'followers' ? t('paging:list.followers-of', { name }) : t('paging:list.followed-by', { name }),
    // The handle links to the list on X; one X could not have issued links to the profile by id.
    link: USERNAME_PATTERN.test(account.username)
      ? `[${handle}](${xProfileUrl(account, list)})`
      : xHandleLink(account),
    empty:
      list === 'followers'
        ? t('paging:list.no-followers', { handle })
        : t('paging:list.no-following', { handle }),
    note: undefined,
  };
}

export function renderPage(
  session: PagingSession,
  pageIndex: number,
  page: UserPage,
  t: Translator,
): RenderedPage {
  const { account, list } = session;
  const { title, link: listLink, empty, note } = listWords(session, t);
  const shown = t.whole(pageIndex + 1);
  const where = [
    session.lastPage === undefined
      ? t('paging:list.page', { page: shown })
      : t('paging:list.page-of', { page: shown, pages: t.whole(session.lastPage + 1) }),
    ...(account.total === undefined || (list !== 'followers' && list !== 'following')
      ? []
      : [countOf(t, list, account.total, t.whole(account.total))]),
  ].join(' · ');
  // Bold rather than a heading: no line Flock writes starts with markdown, so a line that does
  // can only be X text left live, which tests look for.
  // The note shares the heading's TextDisplay: a full page has no component to spare.
  const heading = textDisplay(`**${title}** (${listLink})\n${where}${note ? `\n${note}` : ''}`);
  const first = pageIndex * PAGE_SIZE + 1;
  const accounts = page.users.length
    ? memoized(sectionsMade, page, `${t.locale} ${first}`, () =>
        page.users.map((user, i) => entry(user, first + i, t)),
      )
    : [textDisplay(pageIndex > 0 ? t('paging:list.empty-page') : empty)];
  const hasNext = Boolean(page.nextToken);
  return {
    components: [
      container(X_BLUE, [heading, ...accounts, separator(), buttons(session, pageIndex, hasNext, t)]),
    ],
    flags: V2,
  };
}

function buttons(session: PagingSession, pageIndex: number, hasNext: boolean, t: Translator): ButtonRow {
  const go = (target: number, tag: string) => encodeCustomId(PAGE_NAMESPACE, 'go', session.id, target, tag);
  const atStart = pageIndex === 0;
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: t('paging:buttons.first'),
        emoji: { name: '⏮️' },
        custom_id: go(0, 'f'),
        disabled: atStart,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: t('paging:buttons.prev'),
        emoji: { name: '◀️' },
        custom_id: go(Math.max(0, pageIndex - 1), 'p'),
        disabled: atStart,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: t('paging:list.page', { page: t.whole(pageIndex + 1) }),
        custom_id: encodeCustomId(PAGE_NAMESPACE, 'at', session.id),
        disabled: true,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: t('paging:buttons.next'),
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
              label: t('paging:buttons.go-to-page'),
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
