/**
 * Flock, assembled: config → store → X client → web server → Discord client → (later) poller.
 * `startFlock` is what `npm start` runs and what tests start against the emulators; `stop`
 * shuts everything down in reverse order and saves today's X spend.
 */
import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { COMMANDS } from '../commands/index.js';
import { loadEncryptionKey } from './accounts/encryption.js';
import { LinkAttempts } from './accounts/link-attempts.js';
import { linkButtons } from './accounts/link-buttons.js';
import { LinkFlow } from './accounts/link-flow.js';
import { LinkedAccounts } from './accounts/linked-accounts.js';
import { LinkStore } from './accounts/links.js';
import { AccountStates } from './alerts/account-state.js';
import { Outbox } from './alerts/outbox.js';
import { AlertPoller } from './alerts/poller.js';
import { Subscriptions } from './alerts/subscriptions.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { createRouter } from './discord/router.js';
import { syncCommands } from './discord/sync-commands.js';
import { createLogger, type Logger } from './log.js';
import { AccountDirectory } from './paging/account-directory.js';
import { lookupButtons } from './paging/lookup-buttons.js';
import { pageButtons } from './paging/page-buttons.js';
import { Paging } from './paging/paging.js';
import type { Services } from './services.js';
import { createCostLedger } from './store/cost-ledger.js';
import { openStore } from './store/open-store.js';
import { startWebServer, type WebServer } from './web/server.js';
import { type BucketState, CostMeter, createOAuthClient, createXClient, RateLimits } from './x/index.js';

export interface Flock {
  client: Client;
  services: Services;
  web: WebServer;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
  /** Run the alert poller on a timer (tests drive `tick()` themselves). */
  autoPoll?: boolean;
}

/** How often today's X spend and the rate-limit buckets are saved, so a crash loses at most this much. */
const STATE_SAVE_INTERVAL_MS = 30_000;

export async function startFlock(config: Config, options: StartOptions = {}): Promise<Flock> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const store = await openStore(config.store.url);

  const costMeter = new CostMeter(clock, config.x.dailyBudgetUsd);
  const ledger = createCostLedger(store);
  await costMeter.restore(ledger);
  // X's windows outlive a restart: a bucket known to be empty stays empty after one.
  const rateLimits = new RateLimits(clock);
  const buckets = store.namespace<Record<string, BucketState>>('x-rate-limits');
  rateLimits.restore((await buckets.get('all')) ?? {});
  const saveState = async () => {
    await Promise.all([
      costMeter.persist(ledger),
      buckets.set('all', rateLimits.snapshot(), 24 * 60 * 60_000),
    ]);
  };
  const x = createXClient({
    apiUrl: config.x.apiUrl,
    bearerToken: config.x.bearerToken,
    clock,
    costMeter,
    rateLimits,
    log: log.child({ part: 'x' }),
  });

  const oauth = createOAuthClient({
    apiUrl: config.x.apiUrl,
    authorizeUrl: config.x.authorizeUrl,
    clientId: config.x.clientId,
    clientSecret: config.x.clientSecret,
    redirectUri: config.web.redirectUri,
    clock,
  });
  const key = loadEncryptionKey(config.tokenEncryptionKey, config.store.dataDir, log);
  const linked = new LinkedAccounts(new LinkStore(store, key), oauth, clock, log.child({ part: 'accounts' }));

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.discord.apiUrl ? { api: config.discord.apiUrl } : {},
    // An X display name must never ping anyone: nothing is parsed unless a reply says so.
    allowedMentions: { parse: [] },
  });
  const linking = new LinkFlow(
    new LinkAttempts(store, key, clock),
    linked,
    oauth,
    x,
    clock,
    log.child({ part: 'linking' }),
    async (applicationId, token, content) => {
      await client.rest.patch(Routes.webhookMessage(applicationId, token, '@original'), {
        body: { content, components: [], allowed_mentions: { parse: [] } },
        auth: false,
      });
    },
    config.web.publicUrl,
  );
  const web = await startWebServer({ port: config.web.port, log, health: () => client.isReady(), linking });

  const subscriptions = new Subscriptions(store);
  const states = new AccountStates(store);
  const poller = new AlertPoller({
    x,
    costMeter,
    clock,
    log: log.child({ part: 'alerts' }),
    subscriptions,
    states,
    outbox: new Outbox(store),
    send: async (channelId, body) => {
      await client.rest.post(Routes.channelMessages(channelId), { body });
    },
    notifyGuild: async (guildId, text) => {
      const channel = client.guilds.cache.get(guildId)?.systemChannel;
      if (channel) await channel.send({ content: text, allowedMentions: { parse: [] } });
    },
    intervalMs: config.alerts.intervalSeconds * 1000,
    scanMaxFollowers: config.alerts.scanMaxFollowers,
  });

  const services: Services = {
    config,
    log,
    clock,
    store,
    x,
    accounts: new AccountDirectory(x, store, clock),
    paging: new Paging(x, store, clock, config.paging.expiryMs),
    linked,
    linking,
    alerts: { subscriptions, states, poller },
  };
  const route = createRouter(COMMANDS, [pageButtons, lookupButtons, linkButtons], services);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (error) => log.error('discord client error', { error }));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn('gateway disconnected', { shard }));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discord.token);
  await ready;
  log.info('logged in to Discord', { user: client.user?.tag, guilds: client.guilds.cache.size });
  await syncCommands({
    token: config.discord.token,
    apiUrl: config.discord.apiUrl,
    applicationId: client.application?.id ?? client.user?.id ?? '',
    guildId: config.discord.guildId,
    commands: COMMANDS,
    store,
    log,
  });

  if (options.autoPoll !== false) poller.start();
  const saveEvery = setInterval(() => {
    saveState().catch((error: unknown) => log.warn('could not save X spend and rate limits', { error }));
  }, STATE_SAVE_INTERVAL_MS);
  saveEvery.unref();

  return {
    client,
    services,
    web,
    async stop() {
      clearInterval(saveEvery);
      poller.stop();
      client.removeAllListeners(Events.InteractionCreate);
      await client.destroy();
      await web.close();
      await saveState().catch((error: unknown) =>
        log.warn('could not save X spend and rate limits', { error }),
      );
      await store.close();
      log.info('stopped');
    },
  };
}
