/**
 * A local Discord (REST v10 and gateway) that an unmodified discord.js Client logs in to when
 * given `rest: { api: emulator.apiUrl }`. It keeps guilds, channels, messages, registered
 * commands and interactions, and holds the bot to Discord's rules: 3 s to acknowledge, one
 * acknowledgement, 15-minute tokens, and the size limits, refused the way Discord refuses them.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_ATTACHMENT_LIMIT, refuseLargeFiles, webhookToken } from './attachment-limit.js';
import { ConsentFlow } from './authorize.js';
import { Gateway, type Shard } from './gateway.js';
import { GlobalLimit, isInteractionRoute } from './global-limit.js';
import { type Channel, type DiscordUser, Guild, MEMBER_DEFAULT, newUser, PERMISSIONS } from './guilds.js';
import { CallbackType, Interaction, InteractionType, type Message, MessageFlags } from './interactions.js';
import {
  attachmentErrors,
  editedAttachments,
  filesGoWith,
  hasFiles,
  newAttachments,
  readMultipart,
} from './message-files.js';
import { DiscordOAuth, type Grant, isOAuthPath, redactSecrets } from './oauth.js';
import {
  LinkedRoles,
  type RoleConnection,
  type RoleConnectionMetadata,
  type RoleRequirement,
} from './role-connections.js';
import { snowflake, snowflakeOnShard } from './snowflake.js';
import { messageErrors } from './validate.js';
import { commandListErrors } from './validate-commands.js';
import { IS_COMPONENTS_V2, isV2, v2ServerFault } from './validate-v2.js';

export interface RestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface RegisteredCommand extends Record<string, unknown> {
  id: string;
  name: string;
  options?: Record<string, unknown>[];
}

export interface Actor {
  user?: DiscordUser;
  /** The guild it happens in (default: the default guild); its first channel unless `channel` says. */
  guild?: Guild;
  channel?: Channel;
  /** In the user's DM with the bot instead of a guild (context 1; global commands only; shard 0 gets it). */
  dm?: boolean;
  /**
   * In a group DM of the user's (context 2, `with` the other people in it): only a command the
   * user installed, allowing private channels, is offered there, and the bot is not in it.
   */
  groupDm?: { with: DiscordUser[] };
  /** The member's permissions; computed from roles when absent. */
  permissions?: bigint;
  locale?: string;
}

/**
 * The next matching requests (default 1) are answered with `status`, as on Discord's bad days, or,
 * given `latencyMs` alone, answered as usual but that much later (a slow upload), or have their
 * connection cut with no answer: before Discord acts on them (`reset`, a TCP reset, as a
 * kept-alive socket the server dropped) or after (`cutAfterActing`: the request took effect, but
 * its answer never came).
 */
export interface DiscordFault {
  /** Matches `METHOD /path` (without the query): a substring or a pattern. */
  match: string | RegExp;
  status?: number;
  /** With `status`: the answer's headers (a 429's Retry-After) and body, instead of a bare error. */
  headers?: Record<string, string>;
  body?: unknown;
  latencyMs?: number;
  reset?: boolean;
  cutAfterActing?: boolean;
  times?: number;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Json = Record<string, unknown>;

const ACK_WINDOW_MS = 3000;
const TOKEN_LIFETIME_MS = 15 * 60_000;
const NONCE_WINDOW_MS = 5 * 60_000;

const error = (status: number, code: number, message: string, errors?: unknown): Answer => ({
  status,
  body: errors ? { code, message, errors } : { code, message },
});

const faultAnswer = (status: number, fault: DiscordFault): Answer =>
  fault.headers || fault.body !== undefined
    ? { status, ...(fault.headers ? { headers: fault.headers } : {}), body: fault.body }
    : error(status, 0, `${status}: emulated fault`);

/**
 * Why Discord refuses a message body (a create, a response, an edit of `existing`), as its
 * answer: 400 50035 with the errors tree, 400 when an edit would take the V2 flag away or turn a
 * message with content into a V2 one without clearing it, and a bare 500 for V2 text past
 * Discord's undocumented size (validate-v2.ts).
 */
function refuseBody(
  body: Json,
  existing?: { flags?: number; content?: string; embeds?: unknown[]; attachments?: unknown[] },
  wrap: (tree: unknown) => unknown = (tree) => tree,
): Answer | undefined {
  const files = attachmentErrors(body, existing);
  if (files) return error(files.status, files.code, files.message, files.errors && wrap(files.errors));
  const wasV2 = (Number(existing?.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
  if (wasV2 && body.flags !== undefined && !(Number(body.flags) & IS_COMPONENTS_V2))
    return error(
      400,
      50035,
      'Invalid Form Body',
      wrap({
        flags: {
          _errors: [
            {
              code: 'MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG',
              message: 'The IS_COMPONENTS_V2 flag cannot be removed',
            },
          ],
        },
      }),
    );
  if (existing && !wasV2 && isV2(body)) {
    // Upgrading a message to V2: what it showed before must be cleared in the same edit.
    const kept = (field: 'content' | 'embeds') => {
      const before = existing[field];
      const shown = Array.isArray(before) ? before.length > 0 : Boolean(before);
      return (
        shown &&
        !(
          field in body &&
          (body[field] === null ||
            body[field] === '' ||
            (Array.isArray(body[field]) && !(body[field] as unknown[]).length))
        )
      );
    };
    for (const field of ['content', 'embeds'] as const)
      if (kept(field))
        return error(
          400,
          50035,
          'Invalid Form Body',
          wrap({
            [field]: {
              _errors: [
                {
                  code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
                  message: `Set '${field}' to null when upgrading a message to IS_COMPONENTS_V2`,
                },
              ],
            },
          }),
        );
  }
  const invalid = messageErrors(body, { v2: wasV2 });
  if (invalid) return error(400, 50035, 'Invalid Form Body', wrap(invalid));
  if (v2ServerFault(wasV2 ? { ...body, flags: IS_COMPONENTS_V2 } : body))
    return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
  return undefined;
}

export class DiscordEmulator {
  readonly bot: DiscordUser = newUser('Flock', true);
  /** Shaped like Discord's: the bot's id in base64, a timestamp part, and an HMAC part. */
  readonly token =
    `${Buffer.from(this.bot.id).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(20).toString('base64url')}`;
  readonly applicationId = this.bot.id;
  readonly owner: DiscordUser = newUser('owner');
  readonly guild: Guild;
  readonly general: Channel;
  readonly alerts: Channel;
  readonly gateway: Gateway;
  readonly rest: RestLogEntry[] = [];
  readonly globalCommands: RegisteredCommand[] = [];
  readonly guildCommands = new Map<string, RegisteredCommand[]>();
  readonly guilds: Guild[] = [];
  readonly users = new Map<string, DiscordUser>();
  readonly interactions = new Map<string, Interaction>();
  readonly #byToken = new Map<string, Interaction>();
  /** Each user's DM channel with the bot, by user id. */
  readonly #dmChannels = new Map<string, string>();
  readonly #messages = new Map<string, Message[]>();
  readonly #channelListeners = new Set<(message: Message) => void>();
  readonly #server = createServer((req, res) => void this.#handle(req, res));
  readonly #sockets = new Set<Socket>();
  /**
   * How many of the next channel messages are stored and then never answered, as when the
   * bot's process dies while waiting for Discord's reply.
   */
  storeThenHang = 0;
  /**
   * How much history is kept: the REST log and each channel's messages are cut to the newest
   * `keep`, and so are the interactions, of those Discord no longer waits on (below). Tests read
   * all of it (the default); a bench keeps a little, so that what the emulator holds on to does
   * not grow with each answer, and neither do its pauses to collect garbage, which would land on
   * the bot being measured. A forgotten interaction's token opens nothing, even where Discord would
   * still take an edit or a follow-up through it: a bench must not keep fewer than it edits.
   */
  keep = Number.POSITIVE_INFINITY;
  /** Time as Discord sees it; tests move it to expire interaction tokens. */
  now: () => number = () => Date.now();
  url = '';
  /** The OAuth2 client secret; the client id is the application id, as on Discord. */
  readonly clientSecret = randomBytes(24).toString('base64url');
  /** Registered OAuth2 redirect URIs; /oauth2/authorize accepts only these, exactly. */
  readonly redirectUris: string[] = [];
  /** The app's Linked Roles metadata records, as last PUT. */
  readonly roleConnectionMetadata: RoleConnectionMetadata[] = [];
  /** Each user's role connection (Linked Roles values) for this app, by user id. */
  readonly roleConnections = new Map<string, RoleConnection>();
  /**
   * Whether DELETE clears a role connection (Discord documented it in 2026). False answers it
   * with 405, as the API read before: clients then clear it with PUT.
   */
  roleConnectionDeleteSupported = true;
  readonly faults: DiscordFault[] = [];
  /** Discord's global rate limit on the bot's requests, from which interaction endpoints are exempt. */
  readonly globalLimit = new GlobalLimit(() => this.now());
  readonly #oauth = new DiscordOAuth(this);
  readonly #consent = new ConsentFlow(this, this.#oauth);
  readonly #linkedRoles = new LinkedRoles(this, (authorization) => this.#oauth.identify(authorization));
  /** The largest file an interaction (and a channel message) may carry: `attachment_size_limit`. */
  attachmentSizeLimit = DEFAULT_ATTACHMENT_LIMIT;

  constructor() {
    this.gateway = new Gateway({
      token: this.token,
      // The bot hears only about the guilds it is in.
      guilds: () => this.guilds.filter((g) => this.hasBot(g)),
      readyPayload: (session, resumeUrl) => ({
        v: 10,
        user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0 },
        guilds: session.guildIds.map((id) => ({ id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: resumeUrl,
        shard: session.shard,
        application: { id: this.applicationId, flags: 0 },
        private_channels: [],
        presences: [],
        guild_join_requests: [],
        relationships: [],
        user_settings: {},
      }),
    });
    this.users.set(this.bot.id, this.bot);
    this.users.set(this.owner.id, this.owner);
    this.guild = this.addGuild('Flock Test', this.owner);
    this.general = this.guild.addChannel('general');
    this.alerts = this.guild.addChannel('alerts');
    this.guild.systemChannelId = this.general.id;
    this.#server.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/gateway')) this.gateway.upgrade(req, socket, head);
      else socket.destroy();
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** The REST base to hand discord.js (`rest: { api }`). */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  /** Discord's consent page (what DISCORD_AUTHORIZE_URL points at). */
  get authorizeUrl(): string {
    return `${this.url}/oauth2/authorize`;
  }

  /** Decides a consent URL as `user` would on the page, without a browser; returns the redirect. */
  approve(authorizeUrl: string, user: DiscordUser, decision: 'approve' | 'deny' = 'approve'): string {
    return this.#consent.approve(authorizeUrl, user, decision);
  }

  /** Users' authorizations of the app that are not revoked (optionally one user's). */
  liveGrants(userId?: string): Grant[] {
    return this.#oauth.liveGrants(userId);
  }

  /** Whether the user's role connection meets a server's linked-role requirement. */
  meetsRoleRequirement(userId: string, requirement: RoleRequirement): boolean {
    return this.#linkedRoles.meets(userId, requirement);
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    this.gateway.url = `${this.url.replace('http', 'ws')}/gateway`;
    return this;
  }

  async close(): Promise<void> {
    this.gateway.close();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /**
   * A guild the bot is in; `shard` picks an id that Discord routes to that `[shard_id, shard_count]`.
   * Add guilds before the bot connects: a connected session is not sent a GUILD_CREATE for it.
   * `withoutBot`: a guild the app is not installed in, where only its users' own installs reach it.
   */
  addGuild(name: string, owner: DiscordUser, options: { shard?: Shard; withoutBot?: boolean } = {}): Guild {
    const id = options.shard ? snowflakeOnShard(options.shard[0], options.shard[1]) : snowflake();
    const guild = new Guild(name, owner.id, id);
    guild.addMember(owner);
    if (!options.withoutBot) {
      const botRole = guild.addRole('Flock', MEMBER_DEFAULT);
      guild.addMember(this.bot, [botRole.id]);
    }
    this.guilds.push(guild);
    return guild;
  }

  /**
   * Changes the server's language, as an admin does in its settings: Discord tells the bot's
   * sessions with GUILD_UPDATE (discord.js then updates `guild.preferredLocale`), and later
   * interactions there carry it as `guild_locale`.
   */
  setGuildLocale(guild: Guild, locale: string): void {
    guild.preferredLocale = locale;
    if (this.hasBot(guild)) this.gateway.dispatch('GUILD_UPDATE', guild.toUpdatePayload(), guild.id);
  }

  /** Whether the bot is a member of `guild` (the app installed there). */
  hasBot(guild: Guild): boolean {
    return guild.members.has(this.bot.id);
  }

  /** A person in the default guild (or `guild`), with extra permissions through a role of their own. */
  addUser(username: string, options: { permissions?: bigint; guild?: Guild } = {}): DiscordUser {
    const user = newUser(username);
    this.users.set(user.id, user);
    const guild = options.guild ?? this.guild;
    const roles = options.permissions ? [guild.addRole(`${username}-role`, options.permissions).id] : [];
    guild.addMember(user, roles);
    return user;
  }

  messages(channelId: string): Message[] {
    return this.#messages.get(channelId) ?? [];
  }

  /** Adds a message at the end of a channel, which keeps its newest `keep`. */
  #append(channelId: string, message: Message): void {
    const list = this.#messages.get(channelId) ?? [];
    list.push(message);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    this.#messages.set(channelId, list);
  }

  /**
   * Keeps the newest `keep` interactions (a Map iterates oldest first), forgetting only those
   * Discord is done waiting on: one still unanswered can be answered until its 3 s are over, and
   * a deferral still "thinking…" can be edited through its token for 15 minutes. Forgetting
   * either sooner would refuse an answer Discord takes whenever one bot answers slower than the
   * next `keep` interactions.
   */
  #forgetOldInteractions(): void {
    const now = this.now();
    for (const [id, old] of this.interactions) {
      if (this.interactions.size <= this.keep) break;
      if (!this.#settled(old, now)) continue;
      this.interactions.delete(id);
      this.#byToken.delete(old.token);
    }
  }

  #settled(interaction: Interaction, now: number): boolean {
    const age = now - interaction.dispatchedAt;
    if (!interaction.acknowledged) return age > ACK_WINDOW_MS;
    const thinking =
      interaction.acknowledged.type === CallbackType.DeferredReply
        ? Boolean((interaction.original?.flags ?? 0) & MessageFlags.Loading)
        : interaction.acknowledged.type === CallbackType.DeferredUpdate && !interaction.edited;
    return !thinking || age > TOKEN_LIFETIME_MS;
  }

  /**
   * Calls `listener` with each message the bot posts to a channel through REST (alerts, notices),
   * once it is stored: a live view of the channels (the playground's page). Interaction responses
   * are not included: their Interaction reports them. Returns what stops the calls.
   */
  onChannelMessage(listener: (message: Message) => void): () => void {
    this.#channelListeners.add(listener);
    return () => this.#channelListeners.delete(listener);
  }

  // ── Dispatching interactions ─────────────────────────────────────────────────────────────

  /** Runs a slash command as `actor`; options are checked against the registered definition. */
  command(name: string, options: Json = {}, actor: Actor = {}, subcommand?: string): Interaction {
    const { registered, owners } = this.#registered(name, actor);
    const built = this.#options(registered, options, actor, subcommand);
    return this.#dispatch(
      InteractionType.Command,
      { id: registered.id, name, type: 1, options: built.options, resolved: built.resolved },
      actor,
      owners,
    );
  }

  /** Sends what Discord sends while someone types in an option that has autocomplete. */
  autocomplete(
    name: string,
    options: Json,
    focused: string,
    actor: Actor = {},
    subcommand?: string,
  ): Interaction {
    const { registered, owners } = this.#registered(name, actor);
    const built = this.#options(registered, options, actor, subcommand, focused);
    return this.#dispatch(
      InteractionType.Autocomplete,
      { id: registered.id, name, type: 1, options: built.options },
      actor,
      owners,
    );
  }

  /** The interaction context where `actor` is: 0 a guild, 1 the DM with the bot, 2 a group DM. */
  #context(actor: Actor): 0 | 1 | 2 {
    return actor.dm ? 1 : actor.groupDm ? 2 : 0;
  }

  /**
   * The command as Discord would offer it where `actor` is, and the installs that authorize it
   * there, or an error where Discord would not even list it. Guild commands exist in their guild
   * only, and only while the app is installed there. A global command needs its `contexts` to
   * include the place and one of its `integration_types` (default: guild install) to reach it: the
   * guild install reaches guilds with the bot and the DM with the bot, the user's install
   * reaches everywhere the user is.
   */
  #registered(name: string, actor: Actor): { registered: RegisteredCommand; owners: Record<string, string> } {
    const context = this.#context(actor);
    const user = actor.user ?? this.owner;
    const guild = actor.guild ?? this.guild;
    const botHere = context === 1 || (context === 0 && this.hasBot(guild));
    const inGuild = context === 0 && botHere ? (this.guildCommands.get(guild.id) ?? []) : [];
    const registered = [...inGuild, ...this.globalCommands].find((c) => c.name === name);
    const where = ['in this guild', 'in DMs with the bot', 'in private channels'][context];
    if (!registered) throw new Error(`/${name} is not registered${context ? ' globally' : ''}`);
    if (registered.guild_id) return { registered, owners: { '0': guild.id } };
    const contexts = (registered.contexts as number[] | null | undefined) ?? [0, 1, 2];
    if (!contexts.includes(context))
      throw new Error(`/${name} is not offered ${where} (contexts ${contexts.join(', ')})`);
    const types = (registered.integration_types as number[] | null | undefined) ?? [0];
    const owners: Record<string, string> = {};
    if (types.includes(0) && botHere) owners['0'] = context === 0 ? guild.id : '0';
    if (types.includes(1)) owners['1'] = user.id;
    if (!Object.keys(owners).length)
      throw new Error(
        `/${name} is not offered ${where}${botHere ? '' : ' without the bot'} (integration types ${types.join(', ')})`,
      );
    return { registered, owners };
  }

  /** Clicks a button on a message the bot posted. */
  click(message: Message, customId: string, actor: Actor = {}): Interaction {
    // Buttons sit in rows, and in a V2 message also inside Containers and as Section accessories.
    const all: Json[] = [];
    const visit = (component: Json) => {
      all.push(component);
      for (const child of (component.components as Json[] | undefined) ?? []) visit(child);
      if (component.accessory) visit(component.accessory as Json);
    };
    for (const component of message.components) visit(component);
    const button = all.find((b) => b.type !== 1 && b.custom_id === customId);
    if (!button) throw new Error(`no component ${customId} on message ${message.id}`);
    if (button.disabled) throw new Error(`button ${customId} is disabled: Discord would not send the click`);
    // The installs that authorized the command behind the message authorize its buttons.
    const owners = message.interaction_metadata?.authorizing_integration_owners as
      | Record<string, string>
      | undefined;
    return this.#dispatch(
      InteractionType.Component,
      { custom_id: customId, component_type: button.type },
      actor,
      owners,
      message,
    );
  }

  /**
   * Submits a form. One opened by a button on `message` carries that message, as Discord's does,
   * so its answer may update it.
   */
  submitModal(
    customId: string,
    fields: Record<string, string>,
    actor: Actor = {},
    message?: Message,
  ): Interaction {
    const components = Object.entries(fields).map(([id, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, value }],
    }));
    const owners = message?.interaction_metadata?.authorizing_integration_owners as
      | Record<string, string>
      | undefined;
    return this.#dispatch(
      InteractionType.ModalSubmit,
      { custom_id: customId, components },
      actor,
      owners,
      message,
    );
  }

  #options(command: RegisteredCommand, values: Json, actor: Actor, subcommand?: string, focused?: string) {
    let defs = (command.options ?? []) as Json[];
    const wrap: Json[] = [];
    if (subcommand) {
      const sub = defs.find((o) => o.name === subcommand && o.type === 1);
      if (!sub) throw new Error(`/${command.name} has no subcommand ${subcommand}`);
      defs = (sub.options as Json[] | undefined) ?? [];
    }
    const resolved: Json = {};
    const options = Object.entries(values).map(([name, value]) => {
      const def = defs.find((o) => o.name === name);
      if (!def) throw new Error(`/${command.name} has no option ${name}`);
      const option: Json = { name, type: def.type, value };
      if (name === focused) option.focused = true;
      if (def.type === 7) {
        const guild = this.guilds.find((g) => g.channel(String(value)));
        const channel = guild?.channel(String(value));
        if (!guild || !channel)
          throw new Error(`/${command.name}: there is no channel ${String(value)} to pick`);
        // Discord resolves a picked channel with the invoking member's permissions in it
        // (overwrites included, implicit denials not applied), and the app's as app_permissions.
        const user = actor.user ?? this.owner;
        resolved.channels = {
          ...(resolved.channels as Json),
          [String(value)]: {
            ...channel,
            permissions: String(actor.permissions ?? guild.permissions(user.id, channel)),
            app_permissions: String(guild.permissions(this.bot.id, channel)),
          },
        };
      }
      if (def.type === 8) {
        const role = this.guilds.flatMap((g) => g.roles).find((r) => r.id === value);
        resolved.roles = { ...(resolved.roles as Json), [String(value)]: role };
      }
      return option;
    });
    for (const def of defs) {
      if (def.required && !(String(def.name) in values) && focused === undefined) {
        throw new Error(`/${command.name} needs option ${String(def.name)}`);
      }
    }
    if (subcommand) wrap.push({ name: subcommand, type: 1, options });
    return {
      options: subcommand ? wrap : options,
      resolved: Object.keys(resolved).length ? resolved : undefined,
    };
  }

  #dispatch(
    type: number,
    data: Json,
    actor: Actor,
    owners: Record<string, string> | undefined,
    message?: Message,
  ): Interaction {
    const user = actor.user ?? this.owner;
    const context = this.#context(actor);
    const id = snowflake(this.now());
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type,
      data,
      ...(context === 1
        ? this.#dmPart(user)
        : context === 2
          ? this.#groupDmPart(user, actor.groupDm?.with ?? [])
          : this.#guildPart(user, actor)),
      ...(owners ? { authorizing_integration_owners: owners } : {}),
      token,
      version: 1,
      locale: actor.locale ?? 'en-US',
      entitlements: [],
      attachment_size_limit: this.attachmentSizeLimit,
    };
    if (message) payload.message = message;
    const interaction = new Interaction(id, token, type, payload, this.now(), message);
    this.interactions.set(id, interaction);
    this.#byToken.set(token, interaction);
    this.#forgetOldInteractions();
    // Routed by guild_id to the guild's shard; a DM has none and goes to shard 0.
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return interaction;
  }

  #guildPart(user: DiscordUser, actor: Actor): Json {
    const guild = actor.guild ?? this.guild;
    const channel = actor.channel ?? guild.channels[0] ?? this.general;
    const member = guild.members.get(user.id);
    if (!member) throw new Error(`${user.username} is not in ${guild.name}`);
    return {
      guild_id: guild.id,
      guild: { id: guild.id, locale: guild.preferredLocale, features: [] },
      channel: { ...channel },
      channel_id: channel.id,
      member: { ...member, permissions: String(actor.permissions ?? guild.permissions(user.id, channel)) },
      // Where the bot is not a member, the app acts with what @everyone may do in the channel.
      app_permissions: String(
        this.hasBot(guild) ? guild.permissions(this.bot.id, channel) : BigInt(guild.everyone.permissions),
      ),
      guild_locale: guild.preferredLocale,
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
    };
  }

  /** A DM with the bot: `user` instead of `member`, no guild, the app installed to the user. */
  #dmPart(user: DiscordUser): Json {
    let channelId = this.#dmChannels.get(user.id);
    if (!channelId) {
      channelId = snowflake(this.now());
      this.#dmChannels.set(user.id, channelId);
    }
    return {
      channel: { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] },
      channel_id: channelId,
      user,
      app_permissions: String(MEMBER_DEFAULT),
      authorizing_integration_owners: { '1': user.id },
      context: 1,
    };
  }

  /** A group DM: `user` instead of `member`, no guild, a channel the bot is not in. */
  #groupDmPart(user: DiscordUser, others: DiscordUser[]): Json {
    const recipients = [user, ...others];
    const key = `group:${recipients
      .map((u) => u.id)
      .sort()
      .join(',')}`;
    let channelId = this.#dmChannels.get(key);
    if (!channelId) {
      channelId = snowflake(this.now());
      this.#dmChannels.set(key, channelId);
    }
    return {
      channel: {
        id: channelId,
        type: 3,
        name: null,
        icon: null,
        owner_id: user.id,
        last_message_id: null,
        flags: 0,
        recipients: others,
      },
      channel_id: channelId,
      user,
      app_permissions: String(PERMISSIONS.AttachFiles | PERMISSIONS.EmbedLinks | PERMISSIONS.MentionEveryone),
      authorizing_integration_owners: { '1': user.id },
      context: 2,
    };
  }

  // ── REST ─────────────────────────────────────────────────────────────────────────────────

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://discord');
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    // OAuth2's token endpoints and the consent page take forms; the rest of the API takes JSON.
    const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    const form = new URLSearchParams(isForm ? raw : '');
    let body: unknown;
    try {
      body = isForm
        ? Object.fromEntries(form)
        : ((await readMultipart(req.headers['content-type'], bytes)) ?? (raw ? JSON.parse(raw) : undefined));
    } catch {
      body = undefined;
    }
    const { authorization } = req.headers;
    let answer: Answer;
    let cutAfterActing = false;
    try {
      const request = { method, url, form, headers: req.headers };
      const fault = this.#fault(method, url.pathname);
      cutAfterActing = fault?.cutAfterActing === true;
      if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault?.reset) {
        this.rest.push({ at: this.now(), method, path: url.pathname + url.search, status: 0, body });
        req.socket.resetAndDestroy();
        return;
      }
      answer =
        (fault?.status ? faultAnswer(fault.status, fault) : undefined) ??
        this.#overGlobalLimit(url.pathname, authorization) ??
        this.#consent.route(request) ??
        this.#oauth.route(request) ??
        this.#linkedRoles.route(method, url, body, authorization) ??
        refuseLargeFiles(req.headers['content-type'], bytes, this.#attachmentLimit(url.pathname)) ??
        this.#route(method, url, body as Json | undefined, authorization);
    } catch (e) {
      answer = { status: 500, body: { code: 0, message: `emulator error: ${String(e)}` } };
    }
    const logged = isOAuthPath(url.pathname) ? redactSecrets(body) : body;
    this.rest.push({
      at: this.now(),
      method,
      path: url.pathname + url.search,
      status: answer.status,
      body: logged,
    });
    if (this.rest.length > this.keep) this.rest.splice(0, this.rest.length - this.keep);
    if (answer.status === 0) return; // stored, never answered: close() cuts the socket
    if (cutAfterActing) {
      req.socket.destroy();
      return;
    }
    const headers = answer.headers ?? {};
    if (answer.body === undefined) res.writeHead(answer.status, headers).end();
    else if (typeof answer.body === 'string')
      res
        .writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', ...headers })
        .end(answer.body);
    else
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(answer.body));
  }

  /** What an interaction's webhook said its files may weigh; the server's limit elsewhere. */
  #attachmentLimit(pathname: string): number {
    const token = webhookToken(pathname);
    const limit = token === undefined ? undefined : this.#byToken.get(token)?.payload.attachment_size_limit;
    return Number(limit ?? this.attachmentSizeLimit);
  }

  /** The bot's own requests count against its global limit, except on interaction endpoints. */
  #overGlobalLimit(pathname: string, authorization: string | undefined): Answer | undefined {
    if (authorization !== `Bot ${this.token}`) return undefined;
    const path = pathname.replace(/^\/api\/v10/, '');
    if (isInteractionRoute(path, (token) => this.#byToken.has(token))) return undefined;
    return this.globalLimit.take();
  }

  #fault(method: string, path: string): DiscordFault | undefined {
    const target = `${method} ${path}`;
    const fault = this.faults.find((f) =>
      typeof f.match === 'string' ? target.includes(f.match) : f.match.test(target),
    );
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  #route(method: string, url: URL, body: Json | undefined, authorization: string | undefined): Answer {
    const path = url.pathname.replace(/^\/api\/v10/, '');
    const at = (pattern: RegExp) => pattern.exec(path)?.slice(1) ?? undefined;

    // Interaction routes authenticate with the token in the URL.
    const callback = at(/^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (callback && method === 'POST') {
      const [id = '', token = ''] = callback;
      return this.#callback(
        id,
        decodeURIComponent(token),
        body ?? {},
        url.searchParams.get('with_response') === 'true',
      );
    }
    const webhook = at(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/);
    if (webhook) {
      const [appId = '', token = '', messageId] = webhook;
      return this.#webhook(
        method,
        appId,
        decodeURIComponent(token),
        messageId && decodeURIComponent(messageId),
        body ?? {},
      );
    }

    if (authorization !== `Bot ${this.token}`) return error(401, 0, '401: Unauthorized');

    if (path === '/gateway/bot' && method === 'GET') {
      return {
        status: 200,
        body: {
          url: this.gateway.url,
          shards: this.gateway.recommendedShards,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: this.gateway.maxConcurrency,
          },
        },
      };
    }
    if (path === '/gateway' && method === 'GET') return { status: 200, body: { url: this.gateway.url } };
    if (path === '/users/@me' && method === 'GET') return { status: 200, body: this.bot };
    if (path === '/applications/@me' && method === 'GET') {
      return {
        status: 200,
        body: { id: this.applicationId, name: 'Flock', bot: this.bot, flags: 0, owner: this.owner },
      };
    }
    const commands = at(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
    if (commands) {
      if (commands[0] !== this.applicationId) return error(403, 50001, 'Missing Access');
      return this.#commands(method, commands[1], body);
    }
    const post = at(/^\/channels\/(\d+)\/messages$/);
    if (post && method === 'POST') return this.#createMessage(post[0] ?? '', body ?? {});
    const one = at(/^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (one) {
      const [channelId = '', messageId = ''] = one;
      const message = this.messages(channelId).find((x) => x.id === messageId);
      if (!message) return error(404, 10008, 'Unknown Message');
      if (method === 'GET') return { status: 200, body: message };
      if (method === 'DELETE') {
        this.#messages.set(
          channelId,
          this.messages(channelId).filter((x) => x !== message),
        );
        return { status: 204 };
      }
    }
    const channelId = at(/^\/channels\/(\d+)$/)?.[0];
    if (channelId && method === 'GET') {
      const guild = this.guilds.find((g) => g.channel(channelId));
      const channel = guild?.channel(channelId);
      if (!guild || !channel) return error(404, 10003, 'Unknown Channel');
      return this.hasBot(guild) ? { status: 200, body: channel } : error(403, 50001, 'Missing Access');
    }
    const guildRoute = at(/^\/guilds\/(\d+)(\/.*)?$/);
    if (guildRoute && method === 'GET') {
      const [guildId, rest = ''] = guildRoute;
      const guild = this.guilds.find((g) => g.id === guildId);
      if (!guild) return error(404, 10004, 'Unknown Guild');
      if (!this.hasBot(guild)) return error(403, 50001, 'Missing Access');
      if (rest === '') return { status: 200, body: guild.toPayload() };
      if (rest === '/channels') return { status: 200, body: guild.channels };
      if (rest === '/roles') return { status: 200, body: guild.roles };
      const memberId = /^\/members\/(\d+)$/.exec(rest)?.[1];
      if (memberId) {
        const found = guild.members.get(memberId);
        return found ? { status: 200, body: found } : error(404, 10007, 'Unknown Member');
      }
    }
    return error(404, 0, '404: Not Found');
  }

  #commands(method: string, guildId: string | undefined, body: unknown): Answer {
    const list = guildId ? (this.guildCommands.get(guildId) ?? []) : this.globalCommands;
    if (method === 'GET') return { status: 200, body: list };
    if (method !== 'PUT') return error(405, 0, '405: Method Not Allowed');
    if (!Array.isArray(body)) return error(400, 50035, 'Invalid Form Body');
    const errors = commandListErrors(body as Json[]);
    if (errors) return error(400, 50035, 'Invalid Form Body', errors);
    const saved = (body as Json[]).map((command) => ({
      ...command,
      id: list.find((c) => c.name === command.name)?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      type: command.type ?? 1,
      ...(guildId ? { guild_id: guildId } : {}),
    })) as unknown as RegisteredCommand[];
    if (guildId) this.guildCommands.set(guildId, saved);
    else this.globalCommands.splice(0, this.globalCommands.length, ...saved);
    return { status: 200, body: saved };
  }

  #newMessage(channelId: string, data: Json, extra: Partial<Message> = {}): Message {
    const channel = this.guilds.flatMap((g) => g.channels).find((c) => c.id === channelId);
    return {
      id: snowflake(this.now()),
      channel_id: channelId,
      ...(channel ? { guild_id: channel.guild_id } : {}),
      author: this.bot as unknown as Record<string, unknown>,
      content: String(data.content ?? ''),
      embeds: (data.embeds as Json[] | undefined) ?? [],
      components: (data.components as Json[] | undefined) ?? [],
      flags: Number(data.flags ?? 0),
      type: 0,
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: this.#mentionedRoles(data),
      attachments: newAttachments(data, channelId),
      pinned: false,
      allowed_mentions: data.allowed_mentions,
      ...extra,
    };
  }

  /**
   * The roles this message would ping: those in its content, or in a V2 message's TextDisplays,
   * that allowed_mentions lets through.
   */
  #mentionedRoles(data: Json): string[] {
    const texts: string[] = [String(data.content ?? '')];
    const visit = (component: Json) => {
      if (component.type === 10) texts.push(String(component.content ?? ''));
      for (const child of (component.components as Json[] | undefined) ?? []) visit(child);
    };
    for (const component of (data.components as Json[] | undefined) ?? []) visit(component);
    const inContent = [...texts.join('\n').matchAll(/<@&(\d+)>/g)].map((x) => x[1] ?? '');
    const allowed = data.allowed_mentions as { parse?: string[]; roles?: string[] } | undefined;
    if (!allowed) return inContent;
    return inContent.filter((id) => allowed.parse?.includes('roles') || allowed.roles?.includes(id));
  }

  #createMessage(channelId: string, data: Json): Answer {
    const guild = this.guilds.find((g) => g.channel(channelId));
    const channel = guild?.channel(channelId);
    if (!guild || !channel) return error(404, 10003, 'Unknown Channel');
    const perms = guild.permissions(this.bot.id, channel);
    if (!(perms & PERMISSIONS.ViewChannel)) return error(403, 50001, 'Missing Access');
    const needsEmbed = ((data.embeds as unknown[] | undefined)?.length ?? 0) > 0;
    if (
      !(perms & PERMISSIONS.SendMessages) ||
      (needsEmbed && !(perms & PERMISSIONS.EmbedLinks)) ||
      (hasFiles(data) && !(perms & PERMISSIONS.AttachFiles))
    ) {
      return error(403, 50013, 'Missing Permissions');
    }
    const refused = refuseBody(data);
    if (refused) return refused;
    if (
      !data.content &&
      !(data.embeds as unknown[] | undefined)?.length &&
      !(data.components as unknown[] | undefined)?.length &&
      !hasFiles(data)
    ) {
      return error(400, 50006, 'Cannot send an empty message');
    }
    const list = this.#messages.get(channelId) ?? [];
    if (data.enforce_nonce && data.nonce !== undefined) {
      // Discord de-duplicates a nonce from the same author for a few minutes.
      const existing = list.find(
        (x) => x.nonce === data.nonce && Date.parse(x.timestamp) > this.now() - NONCE_WINDOW_MS,
      );
      if (existing) return { status: 200, body: existing };
    }
    const message = this.#newMessage(
      channelId,
      data,
      data.nonce !== undefined ? { nonce: data.nonce as string } : {},
    );
    this.#append(channelId, message);
    for (const listener of this.#channelListeners) listener(message);
    if (this.storeThenHang > 0) {
      this.storeThenHang -= 1;
      return { status: 0 };
    }
    return { status: 200, body: message };
  }

  #callback(id: string, token: string, body: Json, withResponse: boolean): Answer {
    const interaction = this.interactions.get(id);
    const record = (status: number, code?: number) =>
      interaction?.callbacks.push({
        type: Number(body.type),
        data: body.data as Json | undefined,
        at: this.now(),
        status,
        ...(code ? { code } : {}),
      });
    if (
      !interaction ||
      interaction.token !== token ||
      this.now() - interaction.dispatchedAt > ACK_WINDOW_MS
    ) {
      record(404, 10062);
      interaction?.changed();
      return error(404, 10062, 'Unknown interaction');
    }
    if (interaction.acknowledged) {
      record(400, 40060);
      return error(400, 40060, 'Interaction has already been acknowledged.');
    }
    const type = Number(body.type);
    const data = (body.data as Json | undefined) ?? {};
    filesGoWith(body, data);
    const allowed: Record<number, number[]> = {
      [InteractionType.Command]: [CallbackType.Reply, CallbackType.DeferredReply, CallbackType.Modal],
      [InteractionType.Component]: [
        CallbackType.Reply,
        CallbackType.DeferredReply,
        CallbackType.DeferredUpdate,
        CallbackType.Update,
        CallbackType.Modal,
      ],
      [InteractionType.ModalSubmit]: [
        CallbackType.Reply,
        CallbackType.DeferredReply,
        CallbackType.DeferredUpdate,
        CallbackType.Update,
      ],
      [InteractionType.Autocomplete]: [CallbackType.Autocomplete],
    };
    if (!allowed[interaction.type]?.includes(type)) {
      record(400, 50035);
      return error(400, 50035, 'Invalid Form Body', {
        type: {
          _errors: [
            { code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' },
          ],
        },
      });
    }
    if (type === CallbackType.DeferredReply && Number(data.flags ?? 0) & ~MessageFlags.Ephemeral) {
      record(400, 50035);
      return error(400, 50035, 'Invalid Form Body', {
        data: {
          flags: {
            _errors: [{ code: 'INVALID_FLAGS', message: 'Only the ephemeral flag may be set on a deferral' }],
          },
        },
      });
    }
    // An update edits the message the component is on: a V2 one stays V2.
    const updated = type === CallbackType.Update ? interaction.payload.message : undefined;
    const refused = refuseBody(data, updated as Message | undefined, (tree) => ({ data: tree }));
    if (refused) {
      record(refused.status, Number((refused.body as { code?: unknown } | undefined)?.code ?? 0));
      return refused;
    }
    // Acknowledged before anything else: a second concurrent callback must see it.
    interaction.acknowledged = { type, at: this.now() };
    const channelId = String(interaction.payload.channel_id);
    const metadata = {
      id: interaction.id,
      type: interaction.type,
      user: (interaction.payload.member as Json | undefined)?.user ?? interaction.payload.user,
      authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
      ...(interaction.type === InteractionType.Command
        ? { name: (interaction.payload.data as Json).name, command_type: 1 }
        : {}),
    };
    if (type === CallbackType.Reply || type === CallbackType.DeferredReply) {
      const flags =
        Number(data.flags ?? 0) | (type === CallbackType.DeferredReply ? MessageFlags.Loading : 0);
      interaction.original = this.#newMessage(channelId, type === CallbackType.Reply ? data : { flags }, {
        flags,
        type: interaction.type === InteractionType.Command ? 20 : 19,
        application_id: this.applicationId,
        webhook_id: this.applicationId,
        interaction_metadata: metadata,
      });
      if (!(flags & MessageFlags.Ephemeral)) this.#append(channelId, interaction.original);
    } else if (type === CallbackType.DeferredUpdate || type === CallbackType.Update) {
      interaction.original = interaction.sourceMessage;
      if (type === CallbackType.Update && interaction.original) {
        this.#edit(interaction.original, data);
        interaction.edited = true;
      }
    } else if (type === CallbackType.Autocomplete) {
      interaction.choices = (data.choices as unknown[] | undefined) ?? [];
    } else if (type === CallbackType.Modal) {
      interaction.modal = data;
    }
    record(withResponse ? 200 : 204);
    interaction.changed();
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          response_message_id: interaction.original?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: Boolean(Number(data.flags ?? 0) & 64),
        },
        resource: { type, ...(interaction.original ? { message: interaction.original } : {}) },
      },
    };
  }

  #edit(message: Message, data: Json): void {
    if ('content' in data) message.content = String(data.content ?? '');
    if ('embeds' in data) message.embeds = (data.embeds as Json[] | undefined) ?? [];
    if ('components' in data) message.components = (data.components as Json[] | undefined) ?? [];
    if ('allowed_mentions' in data) message.allowed_mentions = data.allowed_mentions;
    const attachments = editedAttachments(message.attachments, data, message.channel_id);
    if (attachments) message.attachments = attachments;
    // The V2 flag can be set by an edit (a deferral cannot carry it), never taken away.
    if (Number(data.flags ?? 0) & IS_COMPONENTS_V2) message.flags |= IS_COMPONENTS_V2;
    message.flags &= ~MessageFlags.Loading;
    message.edited_timestamp = new Date(this.now()).toISOString();
  }

  #webhook(method: string, appId: string, token: string, messageId: string | undefined, body: Json): Answer {
    const interaction = this.#byToken.get(token);
    if (appId !== this.applicationId || !interaction) return error(404, 10015, 'Unknown Webhook');
    if (this.now() - interaction.dispatchedAt > TOKEN_LIFETIME_MS)
      return error(401, 50027, 'Invalid Webhook Token');
    if (method !== 'GET' && method !== 'DELETE') {
      const edited =
        method === 'PATCH'
          ? messageId === '@original'
            ? interaction.original
            : [interaction.original, ...interaction.followups].find((x) => x?.id === messageId)
          : undefined;
      const refused = refuseBody(body, edited);
      if (refused) return refused;
    }

    if (!messageId) {
      if (method !== 'POST') return error(405, 0, '405: Method Not Allowed');
      if (!interaction.acknowledged) return error(404, 10015, 'Unknown Webhook');
      // A follow-up right after a deferred reply edits the "thinking…" message instead.
      if (interaction.original && interaction.original.flags & MessageFlags.Loading) {
        this.#edit(interaction.original, body);
        interaction.changed();
        return { status: 200, body: interaction.original };
      }
      const message = this.#newMessage(String(interaction.payload.channel_id), body, {
        webhook_id: this.applicationId,
        application_id: this.applicationId,
      });
      interaction.followups.push(message);
      if (!(message.flags & MessageFlags.Ephemeral)) {
        this.#append(message.channel_id, message);
      }
      interaction.changed();
      return { status: 200, body: message };
    }

    const target =
      messageId === '@original'
        ? interaction.original
        : [interaction.original, ...interaction.followups].find((x) => x?.id === messageId);
    if (!target) return error(404, 10008, 'Unknown Message');
    if (method === 'GET') return { status: 200, body: target };
    if (method === 'PATCH') {
      this.#edit(target, body);
      interaction.edited = true;
      interaction.changed();
      return { status: 200, body: target };
    }
    if (method === 'DELETE') {
      this.#messages.set(
        target.channel_id,
        this.messages(target.channel_id).filter((x) => x !== target),
      );
      if (target === interaction.original) interaction.original = undefined;
      interaction.changed();
      return { status: 204 };
    }
    return error(405, 0, '405: Method Not Allowed');
  }
}

export async function startDiscordEmulator(port = 0): Promise<DiscordEmulator> {
  return new DiscordEmulator().listen(port);
}
