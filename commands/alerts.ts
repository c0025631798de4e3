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
import {
  addSubscription,
  checkAlertTarget,
  describeSubscriptions,
  EVENTS_TEXT,
  removeSubscriptions,
} from '../src/alerts/manage.js';
import type { AlertEvents } from '../src/alerts/subscriptions.js';
import type { Command } from '../src/discord/command.js';
import { readOptions } from '../src/discord/options.js';
import { NO_MENTIONS } from '../src/discord/replies.js';
import { suggestAccounts } from '../src/discord/user-option.js';
import { explainXErrors, refLabel } from '../src/discord/x-error-text.js';
import { xHandle } from '../src/discord/x-text.js';
import { UserError } from '../src/user-error.js';
import { parseUserRef } from '../src/x/index.js';

const ACCOUNT = {
  type: ApplicationCommandOptionType.String,
  name: 'account',
  description: 'The X account to watch: @name, a profile link, or a numeric id',
  required: true,
  autocomplete: true,
  max_length: 200,
} as const;

const ADD_OPTIONS = [
  ACCOUNT,
  {
    type: ApplicationCommandOptionType.Channel,
    name: 'channel',
    description: 'Where to post the alerts',
    required: true,
    channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'events',
    description: 'Which changes to announce (default: new followers)',
    choices: [
      { name: 'New followers', value: 'new' },
      { name: 'Lost followers', value: 'lost' },
      { name: 'New and lost followers', value: 'both' },
      { name: 'Accounts it follows', value: 'followed' },
      { name: 'Accounts it unfollows', value: 'unfollowed' },
      { name: 'Accounts it follows and unfollows', value: 'follows' },
      { name: 'All of these', value: 'all' },
    ],
  },
  {
    type: ApplicationCommandOptionType.Role,
    name: 'role',
    description: 'A role to mention with each alert',
  },
  {
    type: ApplicationCommandOptionType.Integer,
    name: 'min_followers',
    description: 'Only announce followers who have at least this many followers',
    min_value: 0,
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

const REMOVE_OPTIONS = [
  { ...ACCOUNT, description: 'The X account to stop watching' },
  {
    type: ApplicationCommandOptionType.Channel,
    name: 'channel',
    description: 'Only in this channel',
  },
] as const satisfies readonly APIApplicationCommandBasicOption[];

export const alerts = {
  data: {
    name: 'alerts',
    description: 'Post alerts in a channel when an X account gains or loses followers',
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Watch an X account and post its follower changes in a channel',
        options: [...ADD_OPTIONS],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Stop watching an X account (in one channel, or everywhere in this server)',
        options: [...REMOVE_OPTIONS],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: "Show this server's follower alerts",
      },
    ],
  },
  needs: ['server', 'manage-server'],
  needsText: {
    'manage-server': (t) => t('alerts:manage-server'),
  },
  async execute(interaction, services) {
    if (!interaction.inGuild()) throw new Error('the router checks that /alerts runs in a server');
    const guildId = interaction.guildId;
    const sub = interaction.options.getSubcommand();
    if (sub === 'list') {
      await interaction.reply({
        content: await describeSubscriptions(services, guildId),
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
      const text = removed.length
        ? `Stopped ${removed.length} alert${removed.length === 1 ? '' : 's'} for ${refLabel(ref)} (${removed.map((s) => `<#${s.channelId}>`).join(', ')}).`
        : `There are no alerts for ${refLabel(ref)}${channel ? ` in <#${channel.id}>` : ''} in this server.`;
      await interaction.reply({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }

    const options = readOptions(interaction, ADD_OPTIONS);
    const ref = parseUserRef(options.account);
    const picked = options.channel;
    const channel = interaction.guild?.channels.cache.get(picked.id);
    if (!channel) throw new UserError("I can't see that channel. Check that I'm allowed to view it.");
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
    });
    const what = EVENTS_TEXT[events];
    const verb = result.resumed ? 'Resumed' : result.updated ? 'Updated' : 'Added';
    await interaction.editReply({
      content:
        `${verb} alerts for **${xHandle(account)}** in <#${channel.id}>: ${what}${role ? `, mentioning <@&${role.id}>` : ''}.` +
        (result.updated
          ? ''
          : ' The first check records where the list stands; alerts start from the next one.'),
      allowedMentions: NO_MENTIONS,
    });
  },
  autocomplete: suggestAccounts,
} satisfies Command;
