/**
 * Alert messages: one embed per event (name, @username, bio excerpt, follower count, avatar,
 * link), at most ten in a message, and a digest line for the rest, so a burst of followers is
 * one message, not a flood. The optional role is mentioned, and only that role may be pinged.
 */
import type { APIEmbed } from 'discord.js';
import { xHandle, xHandleLink, xName, xProfileUrl, xText } from '../discord/x-text.js';
import { formatCount } from '../paging/format.js';
import { type AlertKind, type FollowerEvent, isNameless } from './events.js';
import type { Subscription } from './subscriptions.js';

export interface AlertMessage {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: []; roles: string[] };
}

const GREEN = 0x3ba55d;
const RED = 0xed4245;
const GREY = 0x99aab5;
const BLUE = 0x1d9bf0;
// Ten embeds share Discord's 6,000 units: a title of ~130, a handle of ~90 and a bio of 200 keep
// each under 450, whatever X's text becomes once escaped.
const NAME_MAX = 100;
const BIO_MAX = 200;
const CONTENT_MAX = 2000;
const DIGEST_NAMES = 60;

function heading(event: FollowerEvent, name: string, known: boolean): { title: string; color: number } {
  switch (event.kind) {
    case 'new':
      return { title: `New follower: ${name}`, color: GREEN };
    case 'followed':
      return { title: `Now follows: ${name}`, color: BLUE };
    case 'unfollowed':
      return { title: `No longer follows: ${name}`, color: GREY };
    case 'lost':
      if (event.reason === 'unfollowed') return { title: `Unfollowed: ${name}`, color: RED };
      return {
        title: `Follower ${event.reason === 'suspended' ? 'suspended' : 'left X'}${known ? `: ${name}` : ''}`,
        color: GREY,
      };
  }
}

function embed(event: FollowerEvent): APIEmbed {
  const { user } = event;
  const known = !isNameless(user);
  const { title, color } = heading(event, xName(user, NAME_MAX), known);
  const out: APIEmbed = {
    color,
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

function summary(kind: AlertKind, account: string, count: number): string {
  const s = count === 1 ? '' : 's';
  switch (kind) {
    case 'new':
      return `${account} has ${count} new follower${s}.`;
    case 'lost':
      return `${account} lost ${count} follower${s}.`;
    case 'followed':
      return `${account} followed ${count} account${s}.`;
    case 'unfollowed':
      return `${account} unfollowed ${count} account${s}.`;
  }
}

/** The message for one subscription's events of one kind, in order. */
export function renderAlerts(
  subscription: Subscription,
  kind: AlertKind,
  events: FollowerEvent[],
): AlertMessage | undefined {
  if (!events.length) return undefined;
  const account = `**${xHandle(subscription.account)}**`;
  const rest = events
    .slice(10)
    .map((e) => (isNameless(e.user) ? `id ${xText(e.user.id, 40)}` : xHandle(e.user)));
  const mention = subscription.roleId ? `<@&${subscription.roleId}> ` : '';
  const head = `${mention}${summary(kind, account, events.length)}`;
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
