/**
 * What the multi-process tests share: a command's final answer whichever way it came, alerts
 * tracked through /alerts add, the wait until X streams a tracked account, and the check that
 * every follow event became exactly one alert in its channel.
 */
import { expect } from 'vitest';
import type { Channel } from '../emulators/discord/guilds.js';
import { type Interaction, type Message, MessageFlags } from '../emulators/discord/interactions.js';
import type { EmuUser } from '../emulators/x/world.js';
import { type FlockCluster, type ShardGuild, sleep, until } from '../support/flock-processes.js';
import { entryTitles } from '../support/v2-message.js';

export interface Answer {
  content: string;
  embeds: Message['embeds'];
  components: Message['components'];
  flags: number;
  ephemeral: boolean;
}

/**
 * The answer someone sees: a private follow-up after a public "thinking…" (how failures are
 * told), else the original reply once it is final. Waits a moment for a follow-up to follow an edit.
 */
export async function answerOf(interaction: Interaction, timeoutMs = 15_000): Promise<Answer> {
  const current = (): Message | undefined => {
    const followup = interaction.followups[0];
    if (followup) return followup;
    const original = interaction.original;
    return original && !(original.flags & MessageFlags.Loading) ? original : undefined;
  };
  await until(`an answer to interaction ${interaction.id}`, current, (m) => m !== undefined, {
    timeoutMs,
    intervalMs: 50,
  });
  await sleep(150);
  const message = current() as Message;
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    flags: message.flags,
    ephemeral: (message.flags & MessageFlags.Ephemeral) !== 0,
  };
}

/** Runs `run` over `items`, `width` at a time. */
export async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += width) {
    const batch = items.slice(start, start + width);
    results.push(...(await Promise.all(batch.map((item, n) => run(item, start + n)))));
  }
  return results;
}

/** One /alerts add as the guild's owner: `account` alerted in `channel` (the guild's first alerts channel). */
export async function track(
  cluster: FlockCluster,
  account: EmuUser,
  place: ShardGuild,
  { events = 'both', channel = place.alerts }: { events?: string; channel?: Channel } = {},
): Promise<void> {
  const interaction = cluster.discord.command(
    'alerts',
    { account: account.username, channel: channel.id, events },
    { guild: place.guild, channel: place.general },
    'add',
  );
  const answer = await answerOf(interaction);
  expect(answer.content, `/alerts add ${account.username} in ${place.guild.name}`).toMatch(/^Added alerts/);
}

/**
 * Waits until X streams each account to Flock: both Activity subscriptions exist, its followers
 * list was read once (the first check records where it stands), and a stream is connected.
 */
export async function awaitStreamed(
  cluster: FlockCluster,
  accounts: readonly EmuUser[],
  timeoutMs = 60_000,
): Promise<void> {
  const { x, tag } = cluster;
  await until(
    'every tracked account subscribed at X and checked once, and a stream connected',
    () => {
      const subscribed = new Map<string, number>();
      for (const s of x.activity.subscriptions)
        if (s.tag === tag) subscribed.set(s.userId, (subscribed.get(s.userId) ?? 0) + 1);
      const read = new Set(
        x.requests('/followers').map((e) => /\/2\/users\/(\d+)\/followers/.exec(e.path)?.[1]),
      );
      const waiting = accounts.filter((a) => (subscribed.get(a.id) ?? 0) < 2 || !read.has(a.id));
      return {
        waiting: waiting.map((a) => a.username).slice(0, 10),
        count: waiting.length,
        streams: x.activity.connections.length,
      };
    },
    (s) => s.count === 0 && s.streams > 0,
    { timeoutMs, intervalMs: 500 },
  );
}

/** The titles of the alerts' entries posted in a channel (interaction replies left out), in order. */
export function alertTitles(cluster: FlockCluster, channel: Channel): string[] {
  return cluster.discord
    .messages(channel.id)
    .filter((m) => m.interaction_metadata === undefined && m.webhook_id === undefined)
    .flatMap((m) => entryTitles(m));
}

/** What one follow event must become: this title, once, in this channel. */
export interface ExpectedAlert {
  channel: Channel;
  title: string;
}

export interface DeliveryReport {
  missing: string[];
  duplicated: string[];
  unexpected: string[];
}

export function deliveryReport(cluster: FlockCluster, expected: readonly ExpectedAlert[]): DeliveryReport {
  const channels = new Map<string, Channel>();
  for (const e of expected) channels.set(e.channel.id, e.channel);
  const report: DeliveryReport = { missing: [], duplicated: [], unexpected: [] };
  for (const channel of channels.values()) {
    const want = new Set(expected.filter((e) => e.channel.id === channel.id).map((e) => e.title));
    const seen = new Map<string, number>();
    for (const title of alertTitles(cluster, channel)) seen.set(title, (seen.get(title) ?? 0) + 1);
    for (const title of want) if (!seen.has(title)) report.missing.push(`${channel.name}/${title}`);
    for (const [title, count] of seen) {
      if (!want.has(title)) report.unexpected.push(`${channel.name}/${title} ×${count}`);
      else if (count > 1) report.duplicated.push(`${channel.name}/${title} ×${count}`);
    }
  }
  return report;
}

/**
 * Waits until every expected alert is in its channel (or `timeoutMs` passes), lets `settleMs`
 * more go by for late duplicates, and asserts each came exactly once and nothing else came.
 */
export async function expectEachAlertedOnce(
  cluster: FlockCluster,
  expected: readonly ExpectedAlert[],
  { timeoutMs = 60_000, settleMs = 5_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && deliveryReport(cluster, expected).missing.length > 0) await sleep(250);
  await sleep(settleMs);
  const report = deliveryReport(cluster, expected);
  const cut = (list: string[]) =>
    list.length > 20 ? [...list.slice(0, 20), `… ${list.length - 20} more`] : list;
  expect(
    { missing: cut(report.missing), duplicated: cut(report.duplicated), unexpected: cut(report.unexpected) },
    `${expected.length} follow events, each one alert`,
  ).toEqual({ missing: [], duplicated: [], unexpected: [] });
}

/** Exactly one running process holds `role` now; resolves with it, or fails after `timeoutMs`. */
export async function soleHolder(cluster: FlockCluster, role: string, timeoutMs = 20_000) {
  const holders = await until(
    `exactly one process holding '${role}'`,
    async () => (await cluster.holders(role)).map((p) => p.name),
    (names) => names.length === 1,
    { timeoutMs, intervalMs: 250 },
  );
  const holder = cluster.processes.find((p) => p.name === holders[0]);
  if (!holder) throw new Error(`no process named ${holders[0]}`);
  return holder;
}
