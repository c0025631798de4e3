/**
 * /help: what each command does (read from the definitions themselves, so a new command is never
 * missing), what Flock keeps about the person asking and how to delete it, and who runs this Flock,
 * in the reader's language.
 */
import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  type LocalizationMap,
} from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import type { ReplyPayload } from '../src/discord/replies.js';
import { container, separator, textDisplay, V2 } from '../src/discord/v2.js';
import { describedAs, namedIn } from '../src/i18n/definitions.js';
import type { Translator } from '../src/i18n/translate.js';
import { X_BLUE } from '../src/paging/render-page.js';
import { COMMANDS } from './index.js';
import { link } from './link.js';
import { unlink } from './unlink.js';

/** A definition's text as the reader's Discord shows it: its translation, or the English. */
function shown(text: string, localizations: LocalizationMap | null | undefined, t: Translator): string {
  return Object.entries(localizations ?? {}).find(([locale]) => locale === t.locale)?.[1] ?? text;
}

/** The command as the reader types it, e.g. `/vincular`. */
function slash(data: Command['data'], t: Translator): string {
  return `\`/${shown(data.name, data.name_localizations, t)}\``;
}

/** Each command as `/name: description`, with its subcommands under it, as the reader's Discord lists them. */
export function commandLines(commands: readonly Command[], t: Translator): string[] {
  return commands.flatMap(({ data }) => {
    const name = shown(data.name, data.name_localizations, t);
    const subcommands = ((data.options ?? []) as APIApplicationCommandOption[]).filter(
      (o) => o.type === ApplicationCommandOptionType.Subcommand,
    );
    if (!subcommands.length)
      return [
        t('help:command', { name, description: shown(data.description, data.description_localizations, t) }),
      ];
    return subcommands.map((sub) =>
      t('help:command', {
        name: `${name} ${shown(sub.name, sub.name_localizations, t)}`,
        description: shown(sub.description, sub.description_localizations, t),
      }),
    );
  });
}

/**
 * The help as a Components V2 message: the commands, what Flock keeps, and the contact, each a text
 * block. A V2 message holds 4,000 characters of text where `content` holds 2,000, which the list of
 * commands passes in Spanish.
 */
export function helpMessage(t: Translator, contact: string | undefined, pagingHours: number): ReplyPayload {
  const days = Math.round(pagingHours / 24);
  const commands = [t('help:heading'), ...commandLines(COMMANDS, t).map((line) => `- ${line}`)];
  const keeps = [
    t('help:keeps.heading'),
    `- ${t('help:keeps.link', { link: slash(link.data, t) })}`,
    `- ${days > 1 ? t('help:keeps.lists-days', { count: days }) : t('help:keeps.lists-hours', { count: pagingHours })}`,
    `- ${t('help:keeps.alerts')}`,
    `- ${t('help:keeps.own-lists')}`,
    `- ${t('help:keeps.insights')}`,
    t('help:unlink', { unlink: slash(unlink.data, t) }),
  ];
  return {
    components: [
      container(X_BLUE, [
        textDisplay(commands.join('\n')),
        separator(),
        textDisplay(keeps.join('\n')),
        ...(contact ? [separator(), textDisplay(t('help:contact', { contact }))] : []),
      ]),
    ],
    flags: V2,
  };
}

export const help = {
  data: {
    name: 'help',
    ...namedIn('commands:help.name'),
    ...describedAs('commands:help.description'),
    ...ANYWHERE,
  },
  async execute(_interaction, services, reply) {
    const { operatorContact, paging } = services.config;
    await reply.privately(async () => helpMessage(reply.t, operatorContact, paging.expiryMs / 3_600_000));
  },
} satisfies Command;
