/**
 * Alert messages: one embed per event (name, @username, bio excerpt, follower count, avatar,
 * link), at most ten in a message, and a digest line for the rest, so a burst of followers is
 * one message, not a flood. The optional role is mentioned, and only that role may be pinged.
 */
import type { APIEmbed } from 'discord.js';
import { xHandle, xHandleLink, xName, xProfileUrl, xText } from '../discord/x-text.js';
import { formatCount } from '../paging/format.js';
import type { FollowerEvent } from './check-account.js';
import type { Subscription } from './subscriptions.js';

export interface AlertMessage {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: []; roles: string[] };
}

const COLORS = { new: 0x3ba55d, unfollowed: 0xed4245, suspended: 0x99aab5, deactivated: 0x99aab5 } as const;
// Ten embeds share Discord's 6,000 units: a title of ~130, a handle of ~90 and a bio of 200 keep
// each under 450, whatever X's text becomes once escaped.
const NAME_MAX = 100;
const BIO_MAX = 200;
const CONTENT_MAX = 2000;
const DIGEST_NAMES = 60;

function embed(event: FollowerEvent): APIEmbed {
  const { user } = event;
  const known = user.username !== user.id;
  const name = xName(user, NAME_MAX);
  const title =
    event.kind === 'new'
      ? `New follower: ${name}`
      : event.reason === 'unfollowed'
        ? `Unfollowed: ${name}`
        : `Follower ${event.reason === 'suspended' ? 'suspended' : 'left X'}${known ? `: ${name}` : ''}`;
  const out: APIEmbed = {
    color: event.kind === 'new' ? COLORS.new : COLORS[event.reason],
    title,
    ...(known ? { url: xProfileUrl(user) } : {}),
    description: known
      ? [xHandleLink(user), xText(user.description, BIO_MAX)].filter(Boolean).join('\n')
      : `X account id ${xText(user.id, 40)}`,
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
  const account = `**${xHandle(subscription.account)}**`;
  const count = events.length;
  const summary =
    kind === 'new'
      ? `${account} has ${count} new follower${count === 1 ? '' : 's'}.`
      : `${account} lost ${count} follower${count === 1 ? '' : 's'}.`;
  const rest = events
    .slice(10)
    .map((e) => (e.user.username === e.user.id ? `id ${xText(e.user.id, 40)}` : xHandle(e.user)));
  const mention = subscription.roleId ? `<@&${subscription.roleId}> ` : '';
  const head = `${mention}${summary}`;
  return {
    content: `${head}${digestLine(rest, CONTENT_MAX - head.length)}`,
    embeds: events.slice(0, 10).map(embed),
    allowed_mentions: { parse: [], roles: subscription.roleId ? [subscription.roleId] : [] },
  };
}

/**
 * `\nAlso: @a, @b, and 3 more.` naming as many as fit in `room`: whole names only, so the
 * message stays under Discord's limit without cutting an escaped name in half.
 */
function digestLine(names: string[], room: number): string {
  if (!names.length) return '';
  for (let shown = Math.min(names.length, DIGEST_NAMES); shown >= 0; shown--) {
    const more = names.length - shown;
    const listed = names.slice(0, shown).join(', ');
    const tail = more ? `${shown ? ', and ' : ''}${more} more` : '';
    const line = `\nAlso: ${listed}${tail}.`;
    if (line.length <= room) return line;
  }
  return '';
}
