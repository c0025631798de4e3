/**
 * The /lookup profile card, in Components V2: who the account is (the avatar as a Thumbnail
 * beside its name, handle and bio), its counts, and buttons that open its lists and link to its
 * profile and X's follow intent.
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
import type { XUser } from '../x/index.js';
import { formatWhole } from './format.js';
import { marks, X_BLUE } from './render-page.js';

export const LOOKUP_NAMESPACE = 'lookup';
const BIO_MAX = 1000;

export function renderProfile(user: XUser): { components: APIMessageTopLevelComponent[]; flags: number } {
  const metrics = user.public_metrics;
  const bio = xText(user.description, BIO_MAX);
  const who = `**${xName(user, 100)}**${marks(user)}\n${xHandleLink(user)}${bio ? `\n\n${bio}` : ''}`;
  // X hands out the 48-px avatar by default; the 400-px one reads better in a card.
  const avatar = user.profile_image_url?.replace('_normal.', '_400x400.');

  const facts: string[] = [];
  if (metrics)
    facts.push(
      [
        `**${formatWhole(metrics.followers_count)}** followers`,
        `**${formatWhole(metrics.following_count)}** following`,
        `**${formatWhole(metrics.tweet_count)}** posts`,
      ].join(' · '),
    );
  const joined = user.created_at ? Date.parse(user.created_at) : Number.NaN;
  const location = xText(user.location, 100);
  const where = [
    Number.isFinite(joined) ? `Joined ${time(Math.floor(joined / 1000), TimestampStyles.LongDate)}` : '',
    // A location of only invisible characters is no location.
    location ? `📍 ${location}` : '',
  ].filter(Boolean);
  if (where.length) facts.push(where.join(' · '));
  if (user.verified) facts.push('☑️ Verified');
  if (user.protected) facts.push('🔒 Protected: only approved followers see its lists');
  facts.push(`X account id ${xText(user.id, 40)}`);

  const locked = user.protected === true;
  const listButton = (list: 'followers' | 'following', label: string): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: locked ? `${label} (protected)` : label,
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
    listButton('followers', 'Followers'),
    listButton('following', 'Following'),
    linkButton('Open on X', xProfileUrl(user)),
    ...(intent ? [linkButton('Follow on X', intent)] : []),
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
