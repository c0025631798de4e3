/**
 * Alert messages: one embed per event (name, @username, bio excerpt, follower count, avatar,
 * link), at most ten in a message, and a digest line for the rest, so a burst of followers is
 * one message, not a flood. The optional role is mentioned, and only that role may be pinged.
 */
import type { APIEmbed } from 'discord.js';
import { escapeDisplayText, formatCount, truncate } from '../paging/escape.js';
import type { FollowerEvent } from './check-account.js';
import type { Subscription } from './subscriptions.js';

export interface AlertMessage {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: []; roles: string[] };
}

const COLORS = { new: 0x3ba55d, unfollowed: 0xed4245, suspended: 0x99aab5, deactivated: 0x99aab5 } as const;

function embed(event: FollowerEvent): APIEmbed {
  const { user } = event;
  const known = user.username !== user.id;
  const title =
    event.kind === 'new'
      ? `New follower: ${user.name}`
      : event.reason === 'unfollowed'
        ? `Unfollowed: ${user.name}`
        : `Follower ${event.reason === 'suspended' ? 'suspended' : 'left X'}${known ? `: ${user.name}` : ''}`;
  const out: APIEmbed = {
    color: event.kind === 'new' ? COLORS.new : COLORS[event.reason],
    title: escapeDisplayText(truncate(title, 256)),
    ...(known ? { url: `https://x.com/${user.username}` } : {}),
    description: known
      ? [
          `[@${escapeDisplayText(user.username)}](https://x.com/${user.username})`,
          user.description ? escapeDisplayText(truncate(user.description, 200)) : '',
        ]
          .filter(Boolean)
          .join('\n')
      : `X account id ${user.id}`,
  };
  if (user.public_metrics)
    out.fields = [
      { name: 'Followers', value: formatCount(user.public_metrics.followers_count), inline: true },
    ];
  if (user.profile_image_url) out.thumbnail = { url: user.profile_image_url };
  return out;
}

/** The messages for one subscription's events of one kind, in order. */
export function renderAlerts(
  subscription: Subscription,
  kind: 'new' | 'lost',
  events: FollowerEvent[],
): AlertMessage | undefined {
  if (!events.length) return undefined;
  const account = `**@${escapeDisplayText(subscription.account.username)}**`;
  const count = events.length;
  const summary =
    kind === 'new'
      ? `${account} has ${count} new follower${count === 1 ? '' : 's'}.`
      : `${account} lost ${count} follower${count === 1 ? '' : 's'}.`;
  const rest = events
    .slice(10)
    .map((e) =>
      e.user.username === e.user.id ? `id ${e.user.id}` : `@${escapeDisplayText(e.user.username)}`,
    );
  let digest = '';
  if (rest.length) {
    const names = rest.slice(0, 60).join(', ');
    digest = `\nAlso: ${names}${rest.length > 60 ? `, and ${rest.length - 60} more` : ''}.`;
  }
  const mention = subscription.roleId ? `<@&${subscription.roleId}> ` : '';
  return {
    content: truncate(`${mention}${summary}${digest}`, 2000),
    embeds: events.slice(0, 10).map(embed),
    allowed_mentions: { parse: [], roles: subscription.roleId ? [subscription.roleId] : [] },
  };
}
