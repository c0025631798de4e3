/**
 * Known follow graphs on the X emulator, and the steps of an insights request as a person takes
 * them in the Discord emulator: the command, its estimate, Confirm, and the messages that follow.
 */
import type { Interaction, Message } from '../emulators/discord/interactions.js';
import type { EmuUser, World } from '../emulators/x/world.js';
import type { BotHarness } from '../support/bot-harness.js';
import { buttonId, v2Text } from '../support/v2-message.js';

export interface Graph {
  star: EmuUser;
  /** Follow @star and are followed back. */
  mutuals: EmuUser[];
  /** Follow @star, who does not follow them. */
  notBack: EmuUser[];
  /** @star follows them; they do not follow back. */
  fans: EmuUser[];
}

/** @star with `mutuals`, `notBack` and `fans` accounts of each kind, follows spread over time. */
export function seedGraph(
  world: World,
  now: number,
  counts: { mutuals: number; notBack: number; fans: number },
  name = 'star',
): Graph {
  const star = world.addUser({ username: name, name: `${name} account` });
  const mutuals = world.addUsers(counts.mutuals, `${name}_mu`);
  const notBack = world.addUsers(counts.notBack, `${name}_nb`);
  const fans = world.addUsers(counts.fans, `${name}_fa`);
  let at = now - 10_000_000;
  for (const user of [...mutuals, ...notBack]) world.follow(user.id, star.id, at++);
  for (const user of [...mutuals, ...fans]) world.follow(star.id, user.id, at++);
  return { star, mutuals, notBack, fans };
}

export const ids = (users: readonly { id: string }[]) => users.map((u) => u.id).sort();

/** Waits (real time) until `check` holds. */
export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs the command and returns its private answer. */
export async function ask(
  bot: BotHarness,
  command: 'insights' | 'export',
  sub: string,
  options: Record<string, string>,
  actor = {},
): Promise<{ interaction: Interaction; message: Message }> {
  const interaction = bot.discord.command(command, options, actor, sub);
  const message = await interaction.reply();
  return { interaction, message };
}

/** Clicks Confirm on an estimate; resolves once the read has ended (the message says Done or Stopped). */
export async function confirm(bot: BotHarness, estimate: Message, actor = {}): Promise<Interaction> {
  const click = bot.discord.click(estimate, buttonId(estimate, 'Confirm'), actor);
  await click.reply();
  return click;
}

export const ended = (message: Message) => /^(Done:|Stopped)/m.test(v2Text(message) || message.content);

export async function finished(click: Interaction): Promise<Message> {
  return until(() => click.original && ended(click.original) && click.original, 'the read to end');
}
