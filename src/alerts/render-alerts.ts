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
import type { ChartDay } from '../charts/growth-chart.js';
import { container, textDisplay, V2, withThumbnail } from '../discord/v2.js';
import { xHandle, xHandleLink, xName, xText } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
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
  /** A chart drawn and attached as it is posted (the weekly digest); not sent to Discord as such. */
  chart?: StoredChart;
}

/** What it takes to draw a chart at delivery: its figures, not its bytes, wait in the outbox. */
export interface StoredChart {
  /** The attachment's file name, as the message's components refer to it. */
  file: string;
  /** Its alt text. */
  description: string;
  days: ChartDay[];
  locale: string;
  /** The message's components when Flock may not attach files in the channel. */
  withoutFile: APIMessageTopLevelComponent[];
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

function title(event: FollowerEvent, name: string, known: boolean, t: Translator): string {
  switch (event.kind) {
    case 'new':
      return t('alerts:alert.new', { name });
    case 'followed':
      return t('alerts:alert.followed', { name });
    case 'unfollowed':
      return t('alerts:alert.no-longer-follows', { name });
    case 'lost':
      if (event.reason === 'unfollowed') return t('alerts:alert.unfollowed', { name });
      if (event.reason === 'suspended')
        return known ? t('alerts:alert.suspended', { name }) : t('alerts:alert.suspended-nameless');
      return known ? t('alerts:alert.left-x', { name }) : t('alerts:alert.left-x-nameless');
  }
}

function entry(event: FollowerEvent, t: Translator) {
  const { user } = event;
  const known = !isNameless(user);
  const metrics = user.public_metrics;
  const followers = metrics
    ? ` · ${t('alerts:alert.followers', { count: metrics.followers_count, n: t.count(metrics.followers_count) })}`
    : '';
  const lines = [`**${title(event, xName(user, NAME_MAX), known, t)}**`];
  if (known) lines.push(`${xHandleLink(user)}${followers}`, xText(user.description, BIO_MAX));
  else lines.push(t('alerts:alert.account-id', { id: xText(user.id, 40) }));
  return withThumbnail(lines.filter(Boolean).join('\n'), user.profile_image_url);
}

function summary(kind: AlertKind, account: string, count: number, t: Translator): string {
  const n = t.whole(count);
  switch (kind) {
    case 'new':
      return t('alerts:alert.summary.new', { account, count, n });
    case 'lost':
      return t('alerts:alert.summary.lost', { account, count, n });
    case 'followed':
      return t('alerts:alert.summary.followed', { account, count, n });
    case 'unfollowed':
      return t('alerts:alert.summary.unfollowed', { account, count, n });
  }
}

/** The message for one subscription's events of one kind, in order, in the server's language `t`. */
export function renderAlerts(
  subscription: Subscription,
  kind: AlertKind,
  events: FollowerEvent[],
  t: Translator,
): AlertMessage | undefined {
  if (!events.length) return undefined;
  const account = `**${xHandle(subscription.account)}**`;
  const rest = events
    .slice(10)
    .map((e) =>
      isNameless(e.user) ? t('alerts:alert.id-only', { id: xText(e.user.id, 40) }) : xHandle(e.user),
    );
  const mention = subscription.roleId ? `<@&${subscription.roleId}> ` : '';
  const head = `${mention}${summary(kind, account, events.length, t)}`;
  return {
    components: [
      textDisplay(`${head}${digestLine(rest, HEAD_MAX - head.length, t)}`),
      container(
        COLOR[kind],
        events.slice(0, 10).map((e) => entry(e, t)),
      ),
    ],
    flags: V2,
    allowed_mentions: { parse: [], roles: subscription.roleId ? [subscription.roleId] : [] },
  };
}

/**
 * `\nAlso: @a, @b, and 3 more.`, in the server's language, naming as many as fit in `room`: whole
 * names only, so the message stays under Discord's limit without cutting an escaped name in half.
 */
function digestLine(names: string[], room: number, t: Translator): string {
  if (!names.length) return '';
  for (let shown = Math.min(names.length, DIGEST_NAMES); shown >= 0; shown--) {
    const more = t.whole(names.length - shown);
    const listed = names.slice(0, shown).join(t('alerts:separator'));
    const line = `\n${
      shown === names.length
        ? t('alerts:alert.also', { names: listed })
        : shown
          ? t('alerts:alert.also-and-more', { names: listed, more })
          : t('alerts:alert.also-more', { more })
    }`;
    if (line.length <= room) return line;
  }
  return '';
}
