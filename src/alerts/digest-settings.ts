/**
 * What /alerts digest does: turns the weekly digest of the server's alerts for an account in a
 * channel on or off. Turning it on is checked like adding the alert (the member must be able to
 * post there themselves, and Flock too), plus Attach Files for the chart; nothing is changed when
 * a check fails. Needs nothing from X.
 */
import { type GuildBasedChannel, PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { refLabel } from '../discord/x-error-text.js';
import { xHandle } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import type { UserRef } from '../x/index.js';
import { forAccount } from './chart-reply.js';
import { weekStart } from './digests.js';
import { checkAlertTarget } from './manage.js';
import type { Subscription } from './subscriptions.js';

export interface DigestRequest {
  guildId: string;
  ref: UserRef;
  channelId: string;
  /** The channel as this process knows it (undefined when it does not). */
  channel: GuildBasedChannel | undefined;
  memberPermissions: Readonly<PermissionsBitField> | null;
  on: boolean;
}

/** Turns the digest on or off; says what it did in the member's language `t`. */
export async function setDigest(services: Services, t: Translator, request: DigestRequest): Promise<string> {
  const { guildId, ref, channelId } = request;
  const who = refLabel(ref)(t);
  const matches = (s: Subscription) => forAccount(ref)(s) && s.channelId === channelId;
  const channelText = `<#${channelId}>`;
  const found = (await services.alerts.subscriptions.forGuild(guildId)).filter(matches);
  if (!found.length)
    throw new UserError((t) => t('alerts:digest.none', { account: who, channel: channelText }));
  if (request.on) {
    const { channel } = request;
    if (!channel) throw new UserError((t) => t('alerts:add.no-channel'));
    checkAlertTarget({ guildId, channel, memberPermissions: request.memberPermissions, role: undefined });
    const me = channel.guild.members.me;
    if (!me || !channel.permissionsFor(me)?.has(PermissionFlagsBits.AttachFiles))
      throw new UserError((t) =>
        t('alerts:digest.flock-missing', {
          channel: channelText,
          permissions: t('alerts:permissions.attach-files'),
        }),
      );
  }
  // The first week reported is the one under way: its digest comes next Monday.
  const digest = request.on ? { since: weekStart(services.clock.now()) } : undefined;
  const changed = await services.alerts.subscriptions.setDigest(guildId, matches, digest);
  const said = { account: changed[0] ? xHandle(changed[0].account) : who, channels: channelText };
  return request.on
    ? t('alerts:digest.on', { ...said, count: changed.length })
    : t('alerts:digest.off', said);
}
