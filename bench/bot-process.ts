/**
 * A bot under measurement, in a process of its own so its CPU time is its own: Flock (`flock`), a
 * trivial discord.js bot that answers "ok" (`trivial`, the baseline), or one that answers every
 * command and click with the same page Flock shows, built once (`page`: what carrying the page
 * costs, with no work behind it). The parent sends the configuration over IPC and asks for CPU
 * readings.
 */
import { Client, Events, GatewayIntentBits, RESTEvents, Routes } from 'discord.js';
import { startFlock } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';

type Message =
  | { type: 'start'; mode: 'flock' | 'trivial' | 'page'; env: Record<string, string>; page?: unknown }
  | { type: 'cpu' }
  | { type: 'rss' }
  | { type: 'held' }
  | { type: 'stop' };

let stop: () => Promise<void> = async () => {};
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
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(env.DISCORD_TOKEN);
  await ready;
  return () => client.destroy();
}

process.on('message', (message: Message) => {
  void (async () => {
    if (message.type === 'start') {
      if (message.mode === 'flock') {
        const flock = await startFlock(parseConfig(message.env), { log: createLogger({ level: 'error' }) });
        countHeld(flock.client.rest);
        stop = () => flock.stop();
      } else if (message.mode === 'page') {
        stop = await startPageBot(message.env, message.page);
      } else {
        stop = await startTrivial(message.env);
      }
      process.send?.({ type: 'ready' });
    } else if (message.type === 'cpu') {
      process.send?.({ type: 'cpu', usage: process.cpuUsage() });
    } else if (message.type === 'held') {
      process.send?.({ type: 'held', held });
    } else if (message.type === 'rss') {
      process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    } else {
      await stop();
      process.exit(0);
    }
  })();
});
