/**
 * Guilds as the emulator keeps them: channels, roles with permission bitfields, members, and
 * Discord's permission algorithm (base from roles, then channel overwrites) so that the bot's
 * app_permissions and a member's permissions are computed, not guessed.
 */
import { snowflake } from './snowflake.js';

export const PERMISSIONS = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseApplicationCommands: 1n << 31n,
} as const;

export const ALL_PERMISSIONS = (1n << 50n) - 1n;
export const MEMBER_DEFAULT =
  PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages |
  PERMISSIONS.EmbedLinks |
  PERMISSIONS.ReadMessageHistory |
  PERMISSIONS.UseApplicationCommands;

export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

export interface Role {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  flags: number;
  /** Set on managed roles: the bot or integration that owns the role. */
  tags?: { bot_id?: string; integration_id?: string };
}

export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface Channel {
  id: string;
  type: number;
  name: string;
  guild_id: string;
  position: number;
  permission_overwrites: Overwrite[];
  parent_id: null;
  topic: null;
  nsfw: boolean;
  rate_limit_per_user: number;
}

export interface Member {
  user: DiscordUser;
  roles: string[];
  joined_at: string;
  nick: null;
  avatar: null;
  deaf: boolean;
  mute: boolean;
  flags: number;
  pending: boolean;
  communication_disabled_until: null;
}

export class Guild {
  readonly roles: Role[] = [];
  readonly channels: Channel[] = [];
  readonly members = new Map<string, Member>();
  systemChannelId: string | null = null;
  /**
   * The server's language (Server Settings → Community → Server Primary Language): GUILD_CREATE's
   * `preferred_locale`, and interactions' `guild_locale`. Change it with the emulator's
   * `setGuildLocale`, which tells the bot as Discord does.
   */
  preferredLocale = 'en-US';

  constructor(
    readonly name: string,
    readonly ownerId: string,
    readonly id: string = snowflake(),
  ) {
    // The @everyone role has the guild's id.
    this.roles.push(role(this.id, '@everyone', MEMBER_DEFAULT, 0));
  }

  get everyone(): Role {
    return this.roles[0] as Role;
  }

  addChannel(name: string, overwrites: Overwrite[] = []): Channel {
    const channel: Channel = {
      id: snowflake(),
      type: 0,
      name,
      guild_id: this.id,
      position: this.channels.length,
      permission_overwrites: overwrites,
      parent_id: null,
      topic: null,
      nsfw: false,
      rate_limit_per_user: 0,
    };
    this.channels.push(channel);
    return channel;
  }

  /**
   * A role; `managed` makes it one that a bot or an integration owns (Discord creates those, and
   * nobody can be given them by hand).
   */
  addRole(name: string, permissions = 0n, mentionable = false, options: { managed?: boolean } = {}): Role {
    const created = role(snowflake(), name, permissions, this.roles.length);
    created.mentionable = mentionable;
    if (options.managed) {
      created.managed = true;
      created.tags = { integration_id: snowflake() };
    }
    this.roles.push(created);
    return created;
  }

  addMember(user: DiscordUser, roles: string[] = []): Member {
    const member: Member = {
      user,
      roles,
      joined_at: new Date().toISOString(),
      nick: null,
      avatar: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
    this.members.set(user.id, member);
    return member;
  }

  channel(id: string): Channel | undefined {
    return this.channels.find((c) => c.id === id);
  }

  /** Discord's algorithm: owner and Administrator get everything; then @everyone, roles, overwrites. */
  permissions(userId: string, channel?: Channel): bigint {
    if (userId === this.ownerId) return ALL_PERMISSIONS;
    const member = this.members.get(userId);
    if (!member) return 0n;
    let base = BigInt(this.everyone.permissions);
    for (const id of member.roles) base |= BigInt(this.roles.find((r) => r.id === id)?.permissions ?? '0');
    if (base & PERMISSIONS.Administrator) return ALL_PERMISSIONS;
    if (!channel) return base;
    const apply = (o: Overwrite | undefined) => {
      if (o) base = (base & ~BigInt(o.deny)) | BigInt(o.allow);
    };
    apply(channel.permission_overwrites.find((o) => o.id === this.id));
    let allow = 0n;
    let deny = 0n;
    for (const o of channel.permission_overwrites) {
      if (o.type === 0 && o.id !== this.id && member.roles.includes(o.id)) {
        allow |= BigInt(o.allow);
        deny |= BigInt(o.deny);
      }
    }
    base = (base & ~deny) | allow;
    apply(channel.permission_overwrites.find((o) => o.type === 1 && o.id === userId));
    return base;
  }

  /** The GUILD_CREATE payload: the guild and, as on joining, its members and channels. */
  toPayload(): Record<string, unknown> {
    return {
      ...this.toUpdatePayload(),
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: this.members.size,
      voice_states: [],
      members: [...this.members.values()],
      channels: this.channels,
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  /** The GUILD_UPDATE payload: the guild object alone, without GUILD_CREATE's extra fields. */
  toUpdatePayload(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: this.roles,
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.systemChannelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: this.preferredLocale,
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
    };
  }
}

function role(id: string, name: string, permissions: bigint, position: number): Role {
  return {
    id,
    name,
    permissions: String(permissions),
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function newUser(username: string, bot = false): DiscordUser {
  return {
    id: snowflake(),
    username,
    global_name: bot ? null : username,
    discriminator: '0',
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}
