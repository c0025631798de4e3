/**
 * The /lookup profile card: who the account is, its counts, buttons that open its lists, and
 * links to its profile and X's follow intent.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  TimestampStyles,
  time,
} from 'discord.js';
import { followIntentUrl } from '../accounts/follow-intent.js';
import { encodeCustomId } from '../discord/custom-id.js';
import { xName, xPlain, xProfileUrl, xText } from '../discord/x-text.js';
import type { XUser } from '../x/index.js';
import { formatWhole } from './format.js';
import { marks } from './render-page.js';

export const LOOKUP_NAMESPACE = 'lookup';

export function renderProfile(user: XUser): {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
} {
  const metrics = user.public_metrics;
  const fields: APIEmbed['fields'] = [];
  if (metrics) {
    fields.push(
      { name: 'Followers', value: formatWhole(metrics.followers_count), inline: true },
      { name: 'Following', value: formatWhole(metrics.following_count), inline: true },
      { name: 'Posts', value: formatWhole(metrics.tweet_count), inline: true },
    );
  }
  if (user.created_at) {
    fields.push({
      name: 'Joined',
      value: time(Math.floor(Date.parse(user.created_at) / 1000), TimestampStyles.LongDate),
      inline: true,
    });
  }
  // A field may not be empty: a location of only invisible characters is no location.
  const location = xText(user.location, 200);
  if (location) fields.push({ name: 'Location', value: location, inline: true });
  const notes = [
    user.verified ? '☑️ Verified' : '',
    user.protected ? '🔒 Protected: only approved followers see its lists' : '',
  ]
    .filter(Boolean)
    .join('\n');
  if (notes) fields.push({ name: 'Marks', value: notes, inline: false });

  const embed: APIEmbed = {
    color: 0x1d9bf0,
    // The author line and the footer show text as typed, without markdown.
    author: { name: `@${xPlain(user.username, 60)}`, url: xProfileUrl(user) },
    title: `${xName(user, 200)}${marks(user)}`,
    url: xProfileUrl(user),
    description: xText(user.description, 2000) || undefined,
    fields,
    footer: { text: `X account id ${xPlain(user.id, 40)}` },
  };
  // X hands out the 48-px avatar by default; the 400-px one reads better in a card.
  if (user.profile_image_url)
    embed.thumbnail = { url: user.profile_image_url.replace('_normal.', '_400x400.') };

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
  return { embeds: [embed], components: [{ type: ComponentType.ActionRow, components: buttons }] };
}
