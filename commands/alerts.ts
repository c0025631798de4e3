import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  PermissionsBitField,
} from 'discord.js';
import { describeSubscriptions } from '../src/alerts/describe-alerts.js';
import { addSubscription, checkAlertTarget, removeSubscriptions } from '../src/alerts/manage.js';
import type { AlertEvents } from '../src/alerts/subscriptions.js';
import type { Command } from '../src/discord/command.js';
import { readOptions } from '../src/discord/options.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
import { suggestAccounts } from '../src/discord/user-option.js';
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
      await interaction.reply({
        content: await describeSubscriptions(services, guildId, t),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    if (sub === 'remove') {
      const { account, channel } = readOptions(interaction, REMOVE_OPTIONS);
      const ref = parseUserRef(account);
      const matches = (s: { account: { id: string; username: string } }) =>
        ref.kind === 'id'
          ? s.account.id === ref.id
          : s.account.username.toLowerCase() === ref.username.toLowerCase();
      const removed = await removeSubscriptions(services, guildId, matches, channel?.id);
      const who = refLabel(ref)(t);
      const text = removed.length
        ? t('alerts:remove.stopped', {
            count: removed.length,
            account: who,
            channels: removed.map((s) => `<#${s.channelId}>`).join(t('alerts:separator')),
          })
        : channel
          ? t('alerts:remove.none-in-channel', { account: who, channel: `<#${channel.id}>` })
          : t('alerts:remove.none', { account: who });
      await interaction.reply({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
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
    // Discord sends the member's permissions in the picked channel; the cache may be stale or
    // incomplete, so it only stands in when they are missing. All before deferring and before X:
    // a refused add costs no X read.
    const sent = picked.permissions;
    const memberPermissions =
      typeof sent === 'string'
        ? new PermissionsBitField(BigInt(sent))
        : (sent ?? channel.permissionsFor(interaction.user));
    checkAlertTarget({ guildId, channel, memberPermissions, role });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
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
    await interaction.editReply({
      content: result.resumed
        ? t('alerts:add.resumed', said)
        : result.updated
          ? t('alerts:add.updated', said)
          : t('alerts:add.added', said),
      allowedMentions: NO_MENTIONS,
    });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
