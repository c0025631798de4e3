/**
 * The small JSON API the page calls: the server's state (channels, people, commands, X accounts),
 * a command, a click, a form, autocomplete, and switching who the browser is at Discord and X.
 * Bodies are checked field by field; a refusal is `{ error }` with the playground's own words.
 */
import { forThePage, RequestError, visibleCommands } from './command-options.js';
import type { Interactions } from './interactions.js';
import type { Stack } from './stack.js';

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

type Json = Record<string, unknown>;

function text(body: Json, field: string, optional: true): string | undefined;
function text(body: Json, field: string): string;
function text(body: Json, field: string, optional = false): string | undefined {
  const value = body[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.length > 4_000) throw new RequestError(`${field} must be text.`);
  return value;
}

function texts(body: Json, field: string): Record<string, string> {
  const value = body[field] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RequestError(`${field} must be an object.`);
  // fromEntries makes own properties: a key named __proto__ stays a key.
  return Object.fromEntries(Object.keys(value).map((name) => [name, text(value as Json, name)]));
}

export class Api {
  constructor(
    private readonly stack: Stack,
    private readonly interactions: Interactions,
  ) {}

  async handle(method: string, path: string, body: Json): Promise<ApiAnswer> {
    try {
      if (method === 'GET' && path === '/api/state') return { status: 200, body: this.state() };
      if (method !== 'POST') return { status: 404, body: { error: 'Not found.' } };
      return await this.#post(path, body);
    } catch (error) {
      if (error instanceof RequestError) return { status: 400, body: { error: error.message } };
      throw error;
    }
  }

  state(): Json {
    const { discord, x, people, xAccounts } = this.stack;
    const guild = discord.guild;
    const commands = this.interactions.commands();
    return {
      guild: { name: guild.name },
      bot: { id: discord.bot.id, username: discord.bot.username },
      channels: guild.channels.map((c) => ({ id: c.id, name: c.name })),
      roles: guild.roles.map((r) => ({ id: r.id, name: r.name })),
      members: [...guild.members.values()].map((m) => ({ id: m.user.id, username: m.user.username })),
      people: people.map(({ user, role }) => ({
        id: user.id,
        username: user.username,
        role,
        commands: visibleCommands(commands, guild.permissions(user.id)).map((c) => c.name),
      })),
      commands: commands.map(forThePage),
      xAccounts: xAccounts.map((u) => ({ id: u.id, username: u.username, name: u.name })),
      xSignedIn: x.signedInUserId,
    };
  }

  async #post(path: string, body: Json): Promise<ApiAnswer> {
    const ok = { status: 202, body: {} };
    const command = () => ({
      userId: text(body, 'userId'),
      channelId: text(body, 'channelId'),
      name: text(body, 'name'),
      subcommand: text(body, 'subcommand', true),
      options: texts(body, 'options'),
    });
    switch (path) {
      case '/api/command':
        this.interactions.command(command());
        return ok;
      case '/api/autocomplete': {
        const choices = await this.interactions.autocomplete({
          ...command(),
          focused: text(body, 'focused'),
        });
        return { status: 200, body: { choices } };
      }
      case '/api/click':
        this.interactions.click(text(body, 'userId'), text(body, 'messageId'), text(body, 'customId'));
        return ok;
      case '/api/modal':
        this.interactions.submitModal(
          text(body, 'userId'),
          text(body, 'channelId'),
          text(body, 'customId'),
          texts(body, 'fields'),
          text(body, 'messageId', true),
        );
        return ok;
      case '/api/sign-in':
        return this.#signIn(text(body, 'userId'));
      case '/api/x-account': {
        const account = this.stack.xAccounts.find((u) => u.id === text(body, 'id'));
        if (!account) throw new RequestError('Pick one of the demo X accounts.');
        this.stack.x.signedInUserId = account.id;
        return ok;
      }
      default:
        return { status: 404, body: { error: 'Not found.' } };
    }
  }

  /**
   * Signs this browser in to the Discord emulator as the person it now acts as, so that /link's
   * consent page there knows who is asking. The emulator's session cookie is fetched here and
   * handed on: cookies are kept per host, not per port, so the browser sends it to the emulator.
   */
  async #signIn(userId: string): Promise<ApiAnswer> {
    const person = this.stack.people.find((p) => p.user.id === userId);
    if (!person) throw new RequestError('Pick one of the demo users.');
    const url = `${this.stack.discord.url}/emulator/sign-in?user=${encodeURIComponent(userId)}`;
    const response = await fetch(url);
    await response.body?.cancel();
    const cookies = response.headers.getSetCookie();
    if (!response.ok || !cookies.length)
      throw new Error(`the Discord emulator refused the sign-in (${response.status})`);
    return { status: 200, body: {}, headers: { 'set-cookie': cookies } };
  }
}
