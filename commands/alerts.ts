import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
} from 'discord.js';
import {
  CHART_DAYS_DEFAULT,
  CHART_DAYS_MAX,
  CHART_FILE,
  chartData,
  drawChart,
  forAccount,
  oneChartAtATime,
} from '../src/alerts/chart-reply.js';
import { describeSubscriptions } from '../src/alerts/describe-alerts.js';
import { setDigest } from '../src/alerts/digest-settings.js';
import {
  addSubscription,
  checkAlertTarget,
  memberPermissionsIn,
  removeSubscriptions,
} from '../src/alerts/manage.js';
import type { AlertEvents } from '../src/alerts/subscriptions.js';
import { suggestWatched } from '../src/alerts/suggest-watched.js';
import type { Command } from '../src/discord/command.js';
import { readOptions } from '../src/discord/options.js';
import { suggestAccounts } from '../src/discord/user-option.js';
import { V2 } from '../src/discord/v2.js';
import { explainXErrors, refLabel } from '../src/discord/x-error-text.js';
import { xHandle } from '../src/discord/x-text.js';
import { choiceNamed, describedAs, namedIn } from '../src/i18n/definitions.js';
import { UserError } from '../src/user-error.js';
import { parseUserRef } from '../src/x/index.js';

const ACCOUNT = {
  type: ApplicationCommandOptionType.String,
  name: 'account',
  ...namedIn('alerts:definition.names.account'),
  ...describedAs('alerts:definition.options.account'),
  required: true,
  autocomplete: true,
  max_length: 200,
} as const;

const ADD_OPTIONS = [
  ACCOUNT,
  {
    type: ApplicationCommandOptionType.Channel,
    name: 'channel',
    ...namedIn('alerts:definition.names.channel'),
    ...describedAs('alerts:definition.options.channel'),
    required: true,
    channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'events',
    ...namedIn('alerts:definition.names.events'),
    ...describedAs('alerts:definition.options.events'),
    choices: [
      { ...choiceNamed('alerts:definition.choices.new'), value: 'new' },
      { ...choiceNamed('alerts:definition.choices.lost'), value: 'lost' },
      { ...choiceNamed('alerts:definition.choices.both'), value: 'both' },
      { ...choiceNamed('alerts:definition.choices.followed'), value: 'followed' },
      { ...choiceNamed('alerts:definition.choices.unfollowed'), value: 'unfollowed' },
      { ...choiceNamed('alerts:definition.choices.follows'), value: 'follows' },
      { ...choiceNamed('alerts:definition.choices.all'), value: 'all' },
    ],
  },
  {
    type: ApplicationCommandOptionType.Role,
    name: 'role',
    ...namedIn('alerts:definition.names.role'),
    ...describedAs('alerts:definition.options.role'),
  },
  {
    type: ApplicationCommandOptionType.Integer,
    name: 'min_followers',
    ...namedIn('alerts:definition.names.min-followers'),
    ...describedAs('alerts:definition.options.min-followers'),
    min_value: 0,
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

const REMOVE_OPTIONS = [
  { ...ACCOUNT, ...describedAs('alerts:definition.options.account-to-stop') },
  {
    type: ApplicationCommandOptionType.Channel,
    name: 'channel',
    ...namedIn('alerts:definition.names.channel'),
    ...describedAs('alerts:definition.options.channel-only'),
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

const WATCHED = {
  ...ACCOUNT,
  ...describedAs('alerts:definition.options.account-watched'),
} as const;

const CHART_OPTIONS = [
  WATCHED,
  {
    type: ApplicationCommandOptionType.Integer,
    name: 'days',
    ...namedIn('alerts:definition.names.days'),
    ...describedAs('alerts:definition.options.days'),
    min_value: 1,
    max_value: CHART_DAYS_MAX,
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

const DIGEST_OPTIONS = [
  WATCHED,
  {
    type: ApplicationCommandOptionType.Channel,
    name: 'channel',
    ...namedIn('alerts:definition.names.channel'),
    ...describedAs('alerts:definition.options.digest-channel'),
    required: true,
    channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'weekly',
    ...namedIn('alerts:definition.names.weekly'),
    ...describedAs('alerts:definition.options.weekly'),
    required: true,
    choices: [
      { ...choiceNamed('alerts:definition.choices.on'), value: 'on' },
      { ...choiceNamed('alerts:definition.choices.off'), value: 'off' },
    ],
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

export const alerts = {
  data: {
    name: 'alerts',
    ...namedIn('alerts:definition.names.alerts'),
    ...describedAs('alerts:definition.description'),
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        ...namedIn('alerts:definition.names.add'),
        ...describedAs('alerts:definition.add'),
        options: [...ADD_OPTIONS],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        ...namedIn('alerts:definition.names.remove'),
        ...describedAs('alerts:definition.remove'),
        options: [...REMOVE_OPTIONS],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        ...namedIn('alerts:definition.names.list'),
        ...describedAs('alerts:definition.list'),
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'chart',
        ...namedIn('alerts:definition.names.chart'),
        ...describedAs('alerts:definition.chart'),
        options: [...CHART_OPTIONS],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'digest',
        ...namedIn('alerts:definition.names.digest'),
        ...describedAs('alerts:definition.digest'),
        options: [...DIGEST_OPTIONS],
      },
    ],
  },
  needs: ['server', 'manage-server'],
  needsText: {
    'manage-server': (t) => t('alerts:manage-server'),
  },
  async execute(interaction, services, reply) {
    if (!interaction.inGuild()) throw new Error('the router checks that /alerts runs in a server');
    const { t } = reply;
    const guildId = interaction.guildId;
    const sub = interaction.options.getSubcommand();
    if (sub === 'list') {
      // A long list goes on in private follow-ups, each within Discord's limit.
      let more: string[] = [];
      await reply.privately(async () => {
        const [first = '', ...rest] = await describeSubscriptions(services, guildId, t);
        more = rest;
        return { content: first };
      });
      for (const content of more) await reply.followUp({ content });
      return;
    }
    if (sub === 'chart') {
      const options = readOptions(interaction, CHART_OPTIONS);
      const ref = parseUserRef(options.account);
      const days = options.days ?? CHART_DAYS_DEFAULT;
      await oneChartAtATime(guildId, async () => {
        // Refusals come before any answer, so they stay private; the chart is for the channel.
        const data = await chartData(services, guildId, ref, days, refLabel(ref)(t));
        // Drawing holds the event loop: acknowledged first, then edited in.
        await reply.publicly(
          async () => {
            const { components, png, alt } = drawChart(data, t);
            return { components, flags: V2, files: [{ name: CHART_FILE, data: png, description: alt }] };
          },
          { blocking: true },
        );
      });
      return;
    }
    if (sub === 'digest') {
      const options = readOptions(interaction, DIGEST_OPTIONS);
      const picked = options.channel;
      const channel = interaction.guild?.channels.cache.get(picked.id);
      const ref = parseUserRef(options.account);
      const memberPermissions = memberPermissionsIn(picked.permissions, channel, interaction.user);
      await reply.privately(async () => ({
        content: await setDigest(services, t, {
          guildId,
          ref,
          channelId: picked.id,
          channel,
          memberPermissions,
          on: options.weekly === 'on',
        }),
      }));
      return;
    }
    if (sub === 'remove') {
      const { account, channel } = readOptions(interaction, REMOVE_OPTIONS);
      const ref = parseUserRef(account);
      await reply.privately(async () => {
        const removed = await removeSubscriptions(services, guildId, forAccount(ref), channel?.id);
        const who = refLabel(ref)(t);
        const content = removed.length
          ? t('alerts:remove.stopped', {
              count: removed.length,
              account: who,
              channels: removed.map((s) => `<#${s.channelId}>`).join(t('alerts:separator')),
            })
          : channel
            ? t('alerts:remove.none-in-channel', { account: who, channel: `<#${channel.id}>` })
            : t('alerts:remove.none', { account: who });
        return { content };
      });
      return;
    }

    const options = readOptions(interaction, ADD_OPTIONS);
    const ref = parseUserRef(options.account);
    const picked = options.channel;
    const channel = interaction.guild?.channels.cache.get(picked.id);
    if (!channel) throw new UserError((t) => t('alerts:add.no-channel'));
    const { role } = options;
    const events: AlertEvents = options.events ?? 'new';
    const minFollowers = options.min_followers ?? 0;
    // All before answering and before X: a refused add costs no X read.
    const memberPermissions = memberPermissionsIn(picked.permissions, channel, interaction.user);
    checkAlertTarget({ guildId, channel, memberPermissions, role });
    await reply.privately(async () => {
      const account = await explainXErrors(refLabel(ref), () => services.accounts.resolve(ref));
      const result = await addSubscription(services, {
        guildId,
        channel,
        account,
        events,
        role,
        minFollowers,
        userId: interaction.user.id,
        guildLocale: interaction.guildLocale ?? undefined,
      });
      const what = t(`alerts:events.${events}`);
      const said = {
        account: xHandle(account),
        channel: `<#${channel.id}>`,
        events: role ? t('alerts:add.mentioning', { events: what, role: `<@&${role.id}>` }) : what,
      };
      return {
        content: result.resumed
          ? t('alerts:add.resumed', said)
          : result.updated
            ? t('alerts:add.updated', said)
            : t('alerts:add.added', said),
      };
    });
  },
  async autocomplete(interaction, services) {
    const sub = interaction.options.getSubcommand(false);
    // A chart and a digest are for accounts the server watches: suggest those.
    if (sub === 'chart' || sub === 'digest') return suggestWatched(interaction, services);
    return suggestAccounts(interaction, services);
  },
} satisfies Command;
