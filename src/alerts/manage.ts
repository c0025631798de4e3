/**
 * What /alerts add, remove and list do. The command file reads the options; these check
 * permissions, limits and the channel, change the subscriptions, and describe them.
 */
import {
  type GuildBasedChannel,
  PermissionFlagsBits,
  type PermissionsBitField,
  type Role,
  TimestampStyles,
  time,
} from 'discord.js';
import { utcDay } from '../clock.js';
import { xHandle } from '../discord/x-text.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import type { XUser } from '../x/index.js';
import { X_PRICES_MICRO_USD } from '../x/index.js';
import type { AccountState } from './account-state.js';
import { type AlertEvents, kindsOf, type Subscription } from './subscriptions.js';

/** What alerts need of a role, whether discord.js resolved it to a cached Role or Discord sent it raw. */
export type AlertRole = Pick<Role, 'id' | 'mentionable' | 'managed'>;

/** Says exactly what Flock lacks in a channel for alerts (and for mentioning the role). */
export function missingPermissions(channel: GuildBasedChannel, role: AlertRole | undefined): string[] {
  const me = channel.guild.members.me;
  const perms = me ? channel.permissionsFor(me) : null;
  const needed: [bigint, string][] = [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.SendMessages, 'Send Messages'],
    [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  ];
  if (role && !role.mentionable)
    needed.push([
      PermissionFlagsBits.MentionEveryone,
      'Mention @everyone, @here and All Roles (the role is not mentionable)',
    ]);
  return needed.filter(([flag]) => !perms?.has(flag)).map(([, name]) => name);
}

export interface AlertTarget {
  guildId: string;
  channel: GuildBasedChannel;
  /** What the member who asks may do in the channel; null when neither Discord nor the cache said. */
  memberPermissions: Readonly<PermissionsBitField> | null;
  role: AlertRole | undefined;
}

/**
 * Refuses (with a UserError) alerts the member could not send themselves: into a channel they
 * cannot see or write in, or pinging a role they may not ping. Flock posts with its own
 * permissions, so without this a moderator could use it to reach past theirs. Then checks that
 * Flock itself can post there. Needs nothing from X, so it runs before any X request.
 */
export function checkAlertTarget(target: AlertTarget): void {
  const { channel, memberPermissions: perms, role } = target;
  const where = `<#${channel.id}>`;
  if (!perms) {
    throw new UserError(
      `I couldn't check what you may do in ${where}, so I can't set up alerts there. Please try again in a moment.`,
    );
  }
  if (!perms.has(PermissionFlagsBits.ViewChannel))
    throw new UserError(`You can't see ${where}, so you can't route alerts there.`);
  if (!perms.has(PermissionFlagsBits.SendMessages))
    throw new UserError(`You can't send messages in ${where}, so you can't route alerts there.`);
  if (role?.id === target.guildId) {
    throw new UserError("Alerts can't ping @everyone. Choose a role for them, or leave the role out.");
  }
  if (role?.managed) {
    throw new UserError(
      `<@&${role.id}> belongs to a bot or an integration, so alerts can't ping it. Choose another role.`,
    );
  }
  if (role && !role.mentionable && !perms.has(PermissionFlagsBits.MentionEveryone)) {
    throw new UserError(
      `<@&${role.id}> isn't mentionable and you don't have Mention @everyone, @here and All Roles in ${where}, so you can't make alerts ping it.`,
    );
  }
  const missing = missingPermissions(channel, role);
  if (missing.length) {
    throw new UserError(`I can't post alerts in ${where}: I'm missing ${missing.join(', ')} there.`);
  }
}

export interface AddRequest {
  guildId: string;
  channel: GuildBasedChannel;
  account: XUser;
  events: AlertEvents;
  role: AlertRole | undefined;
  minFollowers: number;
  userId: string;
}

/** Stores the alert (or updates or resumes it). The caller has run `checkAlertTarget` first. */
export async function addSubscription(
  services: Services,
  request: AddRequest,
): Promise<{ resumed: boolean; updated: boolean }> {
  const now = services.clock.now();
  const subscription: Subscription = {
    guildId: request.guildId,
    channelId: request.channel.id,
    account: { id: request.account.id, username: request.account.username, name: request.account.name },
    events: request.events,
    roleId: request.role?.id,
    minFollowers: request.minFollowers,
    createdBy: request.userId,
    createdAt: now,
    paused: undefined,
  };
  const limit = services.config.alerts.maxPerGuild;
  const result = await services.alerts.subscriptions.add(subscription, limit);
  if (result.kind === 'full') {
    throw new UserError(
      `This server already has ${limit} alert${limit === 1 ? '' : 's'}, the most it may have. Remove one with \`/alerts remove\` first.`,
    );
  }
  return { resumed: result.kind === 'resumed', updated: result.kind !== 'added' };
}

export async function removeSubscriptions(
  services: Services,
  guildId: string,
  accountRef: (s: Subscription) => boolean,
  channelId?: string,
): Promise<Subscription[]> {
  const removed = await services.alerts.subscriptions.remove(
    guildId,
    (s) => accountRef(s) && (!channelId || s.channelId === channelId),
  );
  // An account nobody watches any more needs no subscriptions at X and no state.
  for (const id of new Set(removed.map((s) => s.account.id)))
    if (!(await services.alerts.subscriptions.forAccount(id)).length)
      await services.alerts.schedule.untrack(id);
  return removed;
}

export const EVENTS_TEXT: Record<AlertEvents, string> = {
  new: 'new followers',
  lost: 'lost followers',
  both: 'new and lost followers',
  followed: 'accounts it follows',
  unfollowed: 'accounts it unfollows',
  follows: 'accounts it follows and unfollows',
  all: 'new and lost followers, and accounts it follows and unfollows',
};
const when = (ms: number | undefined) =>
  ms === undefined ? 'not yet' : time(Math.round(ms / 1000), TimestampStyles.RelativeTime);

/** Where an account's events come from, and how that is going, for /alerts list. */
function sourceText(services: Services, s: Subscription, state: AccountState | undefined): string {
  const now = services.clock.now();
  const polled = `last check ${when(state?.lastCheckAt)}, next ${when(state?.nextCheckAt)}${
    state?.waiting && state.waiting.until > now ? ` (${state.waiting.reason})` : ''
  }`;
  const ownFollows = kindsOf(s.events).some((k) => k === 'followed' || k === 'unfollowed');
  const source = state?.source;
  if (source?.kind === 'stream') {
    const stream = services.alerts.schedule.stream?.status;
    let text = `live from X's Activity stream since ${when(source.since)}`;
    if (stream && stream.state !== 'connected') {
      const how = { stopped: 'not running', off: 'off', connecting: 'reconnecting', waiting: 'reconnecting' }[
        stream.state
      ];
      text += ` (the stream is ${how} since ${when(stream.since)}${stream.reason ? `: ${stream.reason}` : ''})`;
    }
    if (source.gapSince !== undefined)
      text += `; the stream missed more than X replays from ${when(source.gapSince)}, so a poll is reconciling: ${polled}`;
    return text;
  }
  const why =
    source?.reason ??
    services.alerts.schedule.unavailable ??
    (state?.lastCheckAt === undefined ? 'the first check records where the list stands' : undefined);
  const note = ownFollows
    ? '; its own follows and unfollows need the Activity stream, so they are not announced'
    : '';
  if (services.config.alerts.source === 'stream' && state?.lastCheckAt !== undefined)
    return `not served${why ? ` (${why})` : ''}: ALERTS_SOURCE=stream turns polling off`;
  return `polled${why ? ` (${why})` : ''}: ${polled}${note}`;
}

export async function describeSubscriptions(services: Services, guildId: string): Promise<string> {
  const subs = await services.alerts.subscriptions.forGuild(guildId);
  if (!subs.length) return 'This server has no follower alerts. Add one with `/alerts add`.';
  let sharedUsers = 0;
  const lines: string[] = [];
  for (const s of subs) {
    const state = await services.alerts.states.get(s.account.id);
    if (state && state.spend.day === utcDay(services.clock.now())) {
      // The account's spend is shared by every channel that watches it, in whatever server.
      const watchers = (await services.alerts.subscriptions.forAccount(s.account.id)).filter(
        (o) => !o.paused,
      );
      sharedUsers += state.spend.users / Math.max(1, watchers.length);
    }
    const extras = [
      s.roleId ? `pings <@&${s.roleId}>` : '',
      s.minFollowers ? `followers with ${s.minFollowers}+ followers only` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const status = s.paused
      ? `**paused**: ${s.paused.reason}. \`/alerts add\` resumes it`
      : sourceText(services, s, state);
    lines.push(
      `**${xHandle(s.account)}** → <#${s.channelId}>: ${EVENTS_TEXT[s.events]}${extras ? `; ${extras}` : ''}\n  ${status}`,
    );
  }
  const usd = (sharedUsers * X_PRICES_MICRO_USD.userRead) / 1_000_000;
  lines.push(`\nToday's estimated X spend for this server's alerts: $${usd.toFixed(2)}.`);
  return lines.join('\n');
}
