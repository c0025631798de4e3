/**
 * /help: what each command does (read from the definitions themselves, so a new command is never
 * missing), what Flock keeps about the person asking and how to delete it, and who runs this Flock.
 */
import { type APIApplicationCommandOption, ApplicationCommandOptionType } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { ANYWHERE } from '../src/discord/place.js';
import { COMMANDS } from './index.js';

/** Each command as `/name: description`, with its subcommands under it. */
export function commandLines(commands: readonly Command[]): string[] {
  return commands.flatMap(({ data }) => {
    const subcommands = ((data.options ?? []) as APIApplicationCommandOption[]).filter(
      (o) => o.type === ApplicationCommandOptionType.Subcommand,
    );
    if (!subcommands.length) return [`**/${data.name}**: ${data.description}`];
    return subcommands.map((sub) => `**/${data.name} ${sub.name}**: ${sub.description}`);
  });
}

export function helpText(contact: string | undefined, pagingHours: number): string {
  const days = Math.round(pagingHours / 24);
  return [
    '## Flock',
    ...commandLines(COMMANDS).map((line) => `- ${line}`),
    '',
    '### What Flock keeps about you',
    '- Once you `/link`: your X account (id and @name), and the tokens that let Flock act as it, encrypted. ' +
      'If you signed in for Linked Roles, your Discord sign-in too, encrypted, and the values your roles check.',
    `- The lists you open, so their buttons keep working (for ${days > 1 ? `${days} days` : `${pagingHours} hours`}).`,
    '- Servers keep their alert settings; X profiles Flock showed are kept until the end of the day (UTC).',
    '`/unlink` revokes Flock’s access at X and deletes everything linked to you.',
    ...(contact ? ['', `Questions about this bot: ${contact}`] : []),
  ].join('\n');
}

export const help = {
  data: {
    name: 'help',
    description: 'What Flock can do, what it keeps about you, and how to delete it',
    ...ANYWHERE,
  },
  async execute(_interaction, services, reply) {
    const { operatorContact, paging } = services.config;
    await reply.privately(async () => ({ content: helpText(operatorContact, paging.expiryMs / 3_600_000) }));
  },
} satisfies Command;
