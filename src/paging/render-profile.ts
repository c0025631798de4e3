/**
 * The /lookup profile card, in Components V2: who the account is (the avatar as a Thumbnail
 * beside its name, handle and bio), its counts, and buttons that open its lists and link to its
 * profile and X's follow intent. It is written in the language of the person who looked it up.
 *
 * Every piece of X text is bounded: the bio at 1,000 units, the name and location at 100, so
 * the card stays under 1,600 characters and, at 3 bytes a character (Japanese), about 5,000
 * UTF-8 bytes, inside both of Discord's limits on V2 text (4,000 characters; ~10,000 bytes).
 */
import {
  type APIButtonComponent,
  type APIMessageTopLevelComponent,
  ButtonStyle,
  ComponentType,
  TimestampStyles,
  time,
} from 'discord.js';
import { followIntentUrl } from '../accounts/follow-intent.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { container, separator, textDisplay, V2, withThumbnail } from '../discord/v2.js';
import { xHandleLink, xName, xProfileUrl, xText } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { FollowList, XUser } from '../x/index.js';
import { memoized } from './render-memo.js';
import { countOf, marks, X_BLUE } from './render-page.js';

export const LOOKUP_NAMESPACE = 'lookup';
const BIO_MAX = 1000;

type Card = { components: APIMessageTopLevelComponent[]; flags: number };

const cardsMade = new WeakMap<XUser, Map<string, Card>>();

/**
 * Made once per profile and locale: a cached profile is the same object at every /lookup, and
 * escaping its bio was most of what an answer from the cache allocated.
 */
export function renderProfile(user: XUser, t: Translator): Card {
  return memoized(cardsMade, user, t.locale, () => makeCard(user, t));
}

function makeCard(user: XUser, t: Translator): Card {
  const metrics = user.public_metrics;
  const bio = xText(user.description, BIO_MAX);
  const who = `**${xName(user, 100)}**${marks(user)}\n${xHandleLink(user)}${bio ? `\n\n${bio}` : ''}`;
  // X hands out the 48-px avatar by default; the 400-px one reads better in a card.
  const avatar = user.profile_image_url?.replace('_normal.', '_400x400.');

  const facts: string[] = [];
  const bold = (n: number) => `**${t.whole(n)}**`;
  if (metrics)
    facts.push(
      [
        countOf(t, 'followers', metrics.followers_count, bold(metrics.followers_count)),
        countOf(t, 'following', metrics.following_count, bold(metrics.following_count)),
        countOf(t, 'posts', metrics.tweet_count, bold(metrics.tweet_count)),
      ].join(' · '),
    );
  const joined = user.created_at ? Date.parse(user.created_at) : Number.NaN;
  const location = xText(user.location, 100);
  const where = [
    // Discord writes the date in each reader's own language and calendar format.
    Number.isFinite(joined)
      ? t('paging:profile.joined', { date: time(Math.floor(joined / 1000), TimestampStyles.LongDate) })
      : '',
    // A location of only invisible characters is no location.
    location ? `📍 ${location}` : '',
  ].filter(Boolean);
  if (where.length) facts.push(where.join(' · '));
  if (user.verified) facts.push(`☑️ ${t('paging:profile.verified')}`);
  if (user.protected) facts.push(`🔒 ${t('paging:profile.protected')}`);
  facts.push(t('paging:profile.account-id', { id: xText(user.id, 40) }));

  const locked = user.protected === true;
  const listButton = (list: FollowList): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: locked
      ? t('paging:profile.locked-list', { list: t(`paging:profile.${list}`) })
      : t(`paging:profile.${list}`),
    custom_id: encodeCustomId(LOOKUP_NAMESPACE, list, user.id),
    disabled: locked,
  });
  const linkButton = (label: string, url: string): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label,
    url,
  });
  // Following happens on X itself: X's plans no longer let the bot follow for anyone.
  const intent = followIntentUrl(user);
  // One row of at most 4 buttons (Discord allows 5 a row).
  const buttons = [
    listButton('followers'),
    listButton('following'),
    linkButton(t('paging:profile.open-on-x'), xProfileUrl(user)),
    ...(intent ? [linkButton(t('paging:profile.follow-on-x'), intent)] : []),
  ];
  return {
    components: [
      container(X_BLUE, [
        withThumbnail(who, avatar),
        textDisplay(facts.join('\n')),
        separator(),
        { type: ComponentType.ActionRow, components: buttons },
      ]),
    ],
    flags: V2,
  };
}
