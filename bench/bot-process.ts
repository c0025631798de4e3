/**
 * A bot under measurement, in a process of its own so its CPU time is its own: Flock (`flock`), a
 * trivial discord.js bot that answers "ok" (`trivial`, the baseline), or one that answers every
 * command and click with the same page Flock shows, built once (`page`: what carrying the page
 * costs, with no work behind it). The parent sends the configuration over IPC and asks for CPU
 * and garbage collection readings.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { Client, Events, GatewayIntentBits, RESTEvents, Routes } from 'discord.js';
import { startFlock } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { machineNow, onMachineClock } from './machine-clock.js';

type Message =
  | { type: 'start'; mode: 'flock' | 'trivial' | 'page'; env: Record<string, string>; page?: unknown }
  | { type: 'cpu' }
  | { type: 'rss' }
  | { type: 'held' }
  | { type: 'trace' }
  | { type: 'stop' };

let stop: () => Promise<void> = async () => {};
/**
 * The bot's garbage collections so far: how many of the young generation (scavenges) and of the
 * whole heap, and how long they all held the main thread.
 */
const gc = { minor: 0, major: 0, ms: 0 };
/**
 * Since the parent last asked: this bot's pauses to collect garbage (when, on the machine's clock, and
 * how long), and when each interaction reached its handlers (by id): what sets the slowest answers.
 */
let pauses: { at: number; ms: number }[] = [];
let arrivals: Record<string, number> = {};
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor += 1;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major += 1;
    gc.ms += entry.duration;
    pauses.push({ at: onMachineClock(entry.startTime), ms: entry.duration });
  }
}).observe({ entryTypes: ['gc'] });
/** Before any handler of the bot's own: when discord.js has made the interaction. */
const traceArrivals = (client: Client) =>
  client.prependListener(Events.InteractionCreate, (interaction) => {
    arrivals[interaction.id] = machineNow();
  });
/** Requests the bot's REST client held back for its global limit (50 a second by default). */
let held = 0;
const countHeld = (rest: Client['rest']) =>
  rest.on(RESTEvents.RateLimited, (info) => {
    if (info.global) held += 1;
  });

async function startTrivial(env: Record<string, string>): Promise<() => Promise<void>> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_URL } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) {
      void interaction.reply({
        content: 'ok',
        components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: 'ok:next' }] }],
      });
    } else if (interaction.isButton()) {
      void interaction.update({ content: 'ok' });
    }
  });
  countHeld(client.rest);
  traceArrivals(client);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(env.DISCORD_TOKEN);
  await ready;
  return () => client.destroy();
}

async function startPageBot(env: Record<string, string>, page: unknown): Promise<() => Promise<void>> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_URL } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    // A reply to a command, an update of the message for a click: the page as API JSON, as it is.
    const type = interaction.isButton() ? 7 : 4;
    void client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type, data: page },
      auth: false,
    });
  });
  countHeld(client.rest);
  traceArrivals(client);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(env.DISCORD_TOKEN);
  await ready;
  return () => client.destroy();
}

/**
 * With BENCH_ALLOCATIONS=<folder>, V8's sampling heap profiler records where this bot allocates,
 * the garbage included (what makes collections more frequent), into <folder>/<bot>.heapprofile
 * at stop; open it in Chrome DevTools' Memory tab. `--heap-prof` keeps only what is still alive.
 */
async function recordAllocations(mode: string): Promise<() => Promise<void>> {
  const folder = process.env.BENCH_ALLOCATIONS;
  if (!folder) return async () => {};
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(`${folder}/${mode}.heapprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}

let stopRecording: () => Promise<void> = async () => {};

// A bench that failed, or was stopped, takes its bots with it.
process.on('disconnect', () => process.exit(1));

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'start') {
      if (message.mode === 'flock') {
        const flock = await startFlock(parseConfig(message.env), { log: createLogger({ level: 'error' }) });
        countHeld(flock.client.rest);
        traceArrivals(flock.client);
        stop = () => flock.stop();
      } else if (message.mode === 'page') {
        stop = await startPageBot(message.env, message.page);
      } else {
        stop = await startTrivial(message.env);
      }
      stopRecording = await recordAllocations(message.mode);
      process.send?.({ type: 'ready' });
    } else if (message.type === 'cpu') {
      process.send?.({ type: 'cpu', usage: process.cpuUsage(), gc });
    } else if (message.type === 'trace') {
      process.send?.({ type: 'trace', pauses, arrivals });
      pauses = [];
      arrivals = {};
    } else if (message.type === 'held') {
      process.send?.({ type: 'held', held });
    } else if (message.type === 'rss') {
      process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    } else {
      await stopRecording();
      await stop();
      process.exit(0);
    }
  })();
});
