/**
 * What /alerts add and remove do. The command file reads the options; these check permissions,
 * limits and the channel, and change the subscriptions (describe-alerts.ts says what there is).
 */
import {
  type GuildBasedChannel,
  PermissionFlagsBits,
  PermissionsBitField,
  type Role,
  type User,
} from 'discord.js';
import type { Wording } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import type { XUser } from '../x/index.js';
import type { AlertEvents, Subscription } from './subscriptions.js';

/** What alerts need of a role, whether discord.js resolved it to a cached Role or Discord sent it raw. */
export type AlertRole = Pick<Role, 'id' | 'mentionable' | 'managed'>;

/** Says exactly what Flock lacks in a channel for alerts (and for mentioning the role). */
export function missingPermissions(channel: GuildBasedChannel, role: AlertRole | undefined): Wording[] {
  const me = channel.guild.members.me;
  const perms = me ? channel.permissionsFor(me) : null;
  const needed: [bigint, Wording][] = [
    [PermissionFlagsBits.ViewChannel, (t) => t('alerts:permissions.view-channel')],
    [PermissionFlagsBits.SendMessages, (t) => t('alerts:permissions.send-messages')],
    [PermissionFlagsBits.EmbedLinks, (t) => t('alerts:permissions.embed-links')],
  ];
  if (role && !role.mentionable)
    needed.push([PermissionFlagsBits.MentionEveryone, (t) => t('alerts:permissions.mention-everyone')]);
  return needed.filter(([flag]) => !perms?.has(flag)).map(([, name]) => name);
}

/**
 * What a member may do in a picked channel. Discord sends it with the option; the cache may be
 * stale or incomplete, so it only stands in when Discord did not say.
 */
export function memberPermissionsIn(
  sent: string | Readonly<PermissionsBitField> | null | undefined,
  channel: GuildBasedChannel | undefined,
  user: User,
): Readonly<PermissionsBitField> | null {
  if (typeof sent === 'string') return new PermissionsBitField(BigInt(sent));
  return sent ?? channel?.permissionsFor(user) ?? null;
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
  const { channel: picked, memberPermissions: perms, role } = target;
  const channel = `<#${picked.id}>`;
  if (!perms) throw new UserError((t) => t('alerts:add.unchecked', { channel }));
  if (!perms.has(PermissionFlagsBits.ViewChannel))
    throw new UserError((t) => t('alerts:add.cannot-see', { channel }));
  if (!perms.has(PermissionFlagsBits.SendMessages))
    throw new UserError((t) => t('alerts:add.cannot-send', { channel }));
  if (role?.id === target.guildId) throw new UserError((t) => t('alerts:add.everyone'));
  const mention = role ? `<@&${role.id}>` : '';
  if (role?.managed) throw new UserError((t) => t('alerts:add.managed-role', { role: mention }));
  if (role && !role.mentionable && !perms.has(PermissionFlagsBits.MentionEveryone))
    throw new UserError((t) => t('alerts:add.unmentionable', { role: mention, channel }));
  const missing = missingPermissions(picked, role);
  if (missing.length) {
    throw new UserError((t) =>
      t('alerts:add.flock-missing', {
        channel,
        permissions: missing.map((name) => name(t)).join(t('alerts:separator')),
      }),
    );
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
  /** The server's locale as the interaction carried it: alerts fall back to it (see guild-language.ts). */
  guildLocale: string | undefined;
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
    locale: request.guildLocale,
  };
  const limit = services.config.alerts.maxPerGuild;
  const result = await services.alerts.subscriptions.add(subscription, limit);
  if (result.kind === 'full') {
    throw new UserError((t) => t('alerts:add.full', { count: limit }));
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
