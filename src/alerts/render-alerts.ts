/**
 * Alert messages, in Components V2: a line saying what happened (the optional role mentioned,
 * and a digest of names past the tenth), then a Container coloured by the kind of event with one
 * Section per event (name, @username, follower count, bio excerpt; the avatar as its Thumbnail),
 * at most ten, so a burst of followers is one message, not a flood. Only the role may be pinged.
 *
 * Budget: ten events of at most ~330 characters (a name of 64, a bio of 120, escaped) and a head
 * of at most 600 keep the text under Discord's 4,000 characters and, at 3 bytes a character
 * (Japanese), about 7,500 UTF-8 bytes, under the ~10,170 past which Discord answers 500; and at
 * most 32 components of Discord's 40 (the head, the Container, three a Section).
 */
import type { APIEmbed, APIMessageTopLevelComponent } from 'discord.js';
import { container, textDisplay, V2, withThumbnail } from '../discord/v2.js';
import { xHandle, xHandleLink, xName, xText } from '../discord/x-text.js';
import { formatCount } from '../paging/format.js';
import { type AlertKind, type FollowerEvent, isNameless } from './events.js';
import type { Subscription } from './subscriptions.js';

/**
 * A message for an alert channel, as the outbox keeps it. Entries written before alerts were V2
 * hold `content` and `embeds`, and are posted as they are.
 */
export interface AlertMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  allowed_mentions: { parse: []; roles: string[] };
}

const COLOR: Record<AlertKind, number> = {
  new: 0x3ba55d,
  lost: 0xed4245,
  followed: 0x1d9bf0,
  unfollowed: 0x99aab5,
};
const NAME_MAX = 64;
const BIO_MAX = 120;
const HEAD_MAX = 600;
const DIGEST_NAMES = 60;

function title(event: FollowerEvent, name: string, known: boolean): string {
  switch (event.kind) {
    case 'new':
      return `New follower: ${name}`;
    case 'followed':
      return `Now follows: ${name}`;
    case 'unfollowed':
      return `No longer follows: ${name}`;
    case 'lost':
      if (event.reason === 'unfollowed') return `Unfollowed: ${name}`;
      return `Follower ${event.reason === 'suspended' ? 'suspended' : 'left X'}${known ? `: ${name}` : ''}`;
  }
}

function entry(event: FollowerEvent) {
  const { user } = event;
  const known = !isNameless(user);
  const followers = user.public_metrics
    ? ` · ${formatCount(user.public_metrics.followers_count)} followers`
    : '';
  const lines = [`**${title(event, xName(user, NAME_MAX), known)}**`];
  if (known) lines.push(`${xHandleLink(user)}${followers}`, xText(user.description, BIO_MAX));
  else lines.push(`X account id ${xText(user.id, 40)}`);
  return withThumbnail(lines.filter(Boolean).join('\n'), user.profile_image_url);
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
    components: [
      textDisplay(`${head}${digestLine(rest, HEAD_MAX - head.length)}`),
      container(COLOR[kind], events.slice(0, 10).map(entry)),
    ],
    flags: V2,
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
