/**
 * Slash commands as the page types them: each option's text (`#alerts`, `@max`, `5`, a choice's
 * name) turned into the value Discord sends for the option's type, and the commands a member is
 * offered (Discord hides a command whose default permissions the member lacks).
 */
import type { Guild } from '../test/emulators/discord/guilds.js';
import type { RegisteredCommand } from '../test/emulators/discord/server.js';

/** A request the page made that cannot be carried out; its text is the playground's own. */
export class RequestError extends Error {}

export interface OptionDef {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: OptionDef[];
}

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const TYPE = { string: 3, integer: 4, boolean: 5, user: 6, channel: 7, role: 8, mentionable: 9, number: 10 };

/** The options `subcommand` of `command` takes (the command's own when it has no subcommands). */
export function optionDefs(command: RegisteredCommand, subcommand: string | undefined): OptionDef[] {
  const defs = (command.options ?? []) as unknown as OptionDef[];
  const subs = defs.filter((d) => d.type === SUBCOMMAND || d.type === SUBCOMMAND_GROUP);
  if (!subs.length) {
    if (subcommand) throw new RequestError(`/${command.name} has no subcommands.`);
    return defs;
  }
  const sub = subs.find((d) => d.name === subcommand);
  if (!sub)
    throw new RequestError(`/${command.name} needs a subcommand: ${subs.map((d) => d.name).join(', ')}.`);
  return sub.options ?? [];
}

/**
 * A command as the page needs it to suggest and check what is typed: names, descriptions, each
 * option's type, whether it is required, its choices and whether Flock autocompletes it.
 */
export function forThePage(command: RegisteredCommand) {
  const option = (d: OptionDef): OptionDef => ({
    type: d.type,
    name: d.name,
    description: d.description ?? '',
    required: Boolean(d.required),
    autocomplete: Boolean(d.autocomplete),
    ...(d.choices ? { choices: d.choices.map(({ name, value }) => ({ name, value })) } : {}),
  });
  const defs = (command.options ?? []) as unknown as OptionDef[];
  const subs = defs.filter((d) => d.type === SUBCOMMAND);
  return {
    name: command.name,
    description: String(command.description ?? ''),
    options: subs.length ? [] : defs.map(option),
    subcommands: subs.map((s) => ({
      name: s.name,
      description: s.description ?? '',
      options: (s.options ?? []).map(option),
    })),
  };
}

/** The commands `permissions` reach, as Discord lists them to that member. */
export function visibleCommands(
  commands: readonly RegisteredCommand[],
  permissions: bigint,
): RegisteredCommand[] {
  return commands.filter((command) => {
    const needed = command.default_member_permissions;
    if (needed === undefined || needed === null) return true;
    return (BigInt(String(needed)) & permissions) === BigInt(String(needed));
  });
}

/**
 * The values to send for typed `texts`, by option name; empty texts are left out. `partial`
 * (autocomplete, while the person is still typing) drops what does not read yet instead of
 * refusing it.
 */
export function optionValues(
  command: RegisteredCommand,
  defs: readonly OptionDef[],
  texts: Record<string, string>,
  guild: Guild,
  partial = false,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(texts)) {
    const def = defs.find((d) => d.name === name);
    if (!def) throw new RequestError(`/${command.name} has no option ${name}.`);
    const text = raw.trim();
    if (!text) continue;
    try {
      values[name] = readValue(def, text, guild);
    } catch (error) {
      if (!partial) throw error;
    }
  }
  if (!partial) {
    const missing = defs.filter((d) => d.required && !(d.name in values)).map((d) => d.name);
    if (missing.length) throw new RequestError(`/${command.name} needs ${missing.join(', ')}.`);
  }
  return values;
}

function readValue(def: OptionDef, text: string, guild: Guild): unknown {
  if (def.choices?.length) {
    const lower = text.toLowerCase();
    const choice = def.choices.find((c) => String(c.value) === text || c.name.toLowerCase() === lower);
    if (!choice)
      throw new RequestError(`${def.name} is one of: ${def.choices.map((c) => c.name).join(', ')}.`);
    return choice.value;
  }
  switch (def.type) {
    case TYPE.integer:
      if (!/^-?\d+$/.test(text)) throw new RequestError(`${def.name} is a whole number.`);
      return Number(text);
    case TYPE.number:
      if (!Number.isFinite(Number(text))) throw new RequestError(`${def.name} is a number.`);
      return Number(text);
    case TYPE.boolean:
      if (/^(true|yes)$/i.test(text)) return true;
      if (/^(false|no)$/i.test(text)) return false;
      throw new RequestError(`${def.name} is true or false.`);
    case TYPE.channel:
      return pick(def.name, 'channel', text, /^<#(\d+)>$/, guild.channels, (c) => c.name);
    case TYPE.role:
      return pick(def.name, 'role', text, /^<@&(\d+)>$/, guild.roles, (r) => r.name);
    case TYPE.user:
      return memberId(def.name, text, guild);
    case TYPE.mentionable:
      try {
        return memberId(def.name, text, guild);
      } catch {
        return pick(def.name, 'user or role', text, /^<@&(\d+)>$/, guild.roles, (r) => r.name);
      }
    default:
      return text;
  }
}

/** An id from `<#id>`-like text, a bare id, or a name with or without its `#` or `@`. */
function pick<T extends { id: string }>(
  option: string,
  kind: string,
  text: string,
  mention: RegExp,
  items: readonly T[],
  nameOf: (item: T) => string,
): string {
  const id = mention.exec(text)?.[1] ?? text;
  const name = text.replace(/^[#@]/, '').toLowerCase();
  const found =
    items.find((item) => item.id === id) ?? items.find((item) => nameOf(item).toLowerCase() === name);
  if (!found) throw new RequestError(`${option}: there is no ${kind} ${text} in this server.`);
  return found.id;
}

function memberId(option: string, text: string, guild: Guild): string {
  const members = [...guild.members.values()].map((m) => m.user);
  return pick(option, 'member', text, /^<@!?(\d+)>$/, members, (u) => u.username);
}
