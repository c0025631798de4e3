/**
 * Flock, assembled: config → store → X client → web server → Discord client → alerts.
 * `startFlock` is what `npm start` runs and what tests start against the emulators; `stop`
 * shuts everything down in reverse order and saves today's X spend.
 */
import { Client, Events, GatewayIntentBits, Options, Routes } from 'discord.js';
import { COMMANDS } from '../commands/index.js';
import { loadEncryptionKey } from './accounts/encryption.js';
import { checkEncryptionKey } from './accounts/key-check.js';
import { LinkAttempts } from './accounts/link-attempts.js';
import { linkButtons } from './accounts/link-buttons.js';
import { LinkFlow } from './accounts/link-flow.js';
import { LinkedAccounts } from './accounts/linked-accounts.js';
import { LinkStore } from './accounts/links.js';
import { RoleConnections } from './accounts/role-connections.js';
import { RoleRefresher } from './accounts/role-refresher.js';
import { SignedStates } from './accounts/signed-state.js';
import { UserLocks } from './accounts/user-locks.js';
import { AccountStates } from './alerts/account-state.js';
import { type AlertsOptions, createAlerts } from './alerts/create-alerts.js';
import { Outbox } from './alerts/outbox.js';
import { Subscriptions } from './alerts/subscriptions.js';
import { type Clock, settledWithin, systemClock } from './clock.js';
import { type Config, configWarnings, servesPlainHttp } from './config.js';
import { type Coordination, createCoordination } from './coordination/coordination.js';
import { Roles } from './coordination/roles.js';
import { InteractionWebhooks } from './discord/interaction-webhooks.js';
import { createDiscordOAuth } from './discord/oauth.js';
import { createRouter } from './discord/router.js';
import { shardHealth } from './discord/shards.js';
import { syncCommands } from './discord/sync-commands.js';
import { useCommandMentions } from './i18n/translate.js';
import { insightsButtons } from './insights/buttons.js';
import { Insights } from './insights/insights.js';
import { createLogger, type Logger } from './log.js';
import { AccountDirectory } from './paging/account-directory.js';
import { lookupButtons } from './paging/lookup-buttons.js';
import { pageButtons } from './paging/page-buttons.js';
import { Paging } from './paging/paging.js';
import type { Services } from './services.js';
import { createCostLedger } from './store/cost-ledger.js';
import { openStore, type Store } from './store/open-store.js';
import { Sweeper } from './store/sweeper.js';
import { startWebServer, type WebLimits, type WebServer } from './web/server.js';
import {
  type BucketState,
  CostMeter,
  createOAuthClient,
  createSharedXState,
  createXClient,
  RateLimits,
} from './x/index.js';

export interface Flock {
  client: Client;
  services: Services;
  web: WebServer;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  clock?: Clock;
  /** Run alerts (and the Activity stream) and the other background work on timers (tests drive `tick()` themselves). */
  autoPoll?: boolean;
  /** The web server's connection limits and timeouts (tests make them small). */
  webLimits?: Partial<WebLimits>;
  /** X's keep-alive interval and the stream's reconnect backoff (tests make them small). */
  alertStream?: AlertsOptions['stream'];
  /** How long an insights read's lease outlives a process that stopped renewing it (tests make it short). */
  insightsLeaseTtlMs?: number;
}

/** How often today's X spend and the rate-limit buckets are saved, so a crash loses at most this much. */
const STATE_SAVE_INTERVAL_MS = 30_000;

export async function startFlock(config: Config, options: StartOptions = {}): Promise<Flock> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const store = await openStore(config.store.url);
  // What start-up has opened so far, closed in reverse if a later step fails (a port in use, a
  // refused token), so a failed start leaves no socket, timer or store lock behind.
  const opened: (() => Promise<unknown>)[] = [() => store.close()];
  try {
    // Locks and leases where the store is: in this process for SQLite, in Redis for several processes.
    const coordination = await createCoordination(config.store.url);
    opened.push(() => coordination.close());
    return await assemble(config, options, log, clock, store, coordination, opened);
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function assemble(
  config: Config,
  options: StartOptions,
  log: Logger,
  clock: Clock,
  store: Store,
  coordination: Coordination,
  opened: (() => Promise<unknown>)[],
): Promise<Flock> {
  const key = loadEncryptionKey(config.tokenEncryptionKey, config.store.dataDir, log);
  await checkEncryptionKey(store, key);
  // After the checks that stop start-up, so a refusal is one line on its own.
  for (const warning of configWarnings(config)) log.warn(warning);

  // Several processes share X's buckets and today's spend in Redis; one process keeps its own,
  // saved in the store so that they outlive a restart.
  const shared = coordination.redis && createSharedXState(coordination.redis, clock);
  const costMeter = new CostMeter(clock, config.x.dailyBudgetUsd, { shared: shared?.spend });
  const rateLimits = new RateLimits(clock, { shared: shared?.buckets });
  const ledger = createCostLedger(store);
  const buckets = store.namespace<Record<string, BucketState>>('x-rate-limits');
  if (!shared) {
    await costMeter.restore(ledger);
    // X's windows outlive a restart: a bucket known to be empty stays empty after one.
    rateLimits.restore((await buckets.get('all')) ?? {});
  }
  const saveState = async () => {
    // Shared: Redis holds both; what has not reached it yet (events, writes) goes now.
    if (shared) return costMeter.share();
    await Promise.all([
      costMeter.persist(ledger),
      buckets.set('all', rateLimits.snapshot(), 24 * 60 * 60_000),
    ]).then(() => undefined);
  };
  const x = createXClient({
    apiUrl: config.x.apiUrl,
    bearerToken: config.x.bearerToken,
    clock,
    costMeter,
    rateLimits,
    log: log.child({ part: 'x' }),
    appOwnerId: config.x.appOwnerId,
  });

  const oauth = createOAuthClient({
    apiUrl: config.x.apiUrl,
    authorizeUrl: config.x.authorizeUrl,
    clientId: config.x.clientId,
    clientSecret: config.x.clientSecret,
    redirectUri: config.web.redirectUri,
    clock,
  });
  const locks = new UserLocks(coordination.locks);
  const links = new LinkStore(store, key, log.child({ part: 'accounts' }));
  const discordOAuth =
    config.discord.clientSecret && !servesPlainHttp(config)
      ? createDiscordOAuth({
          apiUrl: config.discord.apiUrl,
          botToken: config.discord.token,
          applicationId: config.discord.applicationId,
          clientSecret: config.discord.clientSecret,
          authorizeUrl: config.discord.authorizeUrl,
          redirectUri: config.web.discordRedirectUri,
          clock,
        })
      : undefined;
  const roles =
    discordOAuth && new RoleConnections(discordOAuth, links, clock, log.child({ part: 'linked-roles' }));
  // Made below (it reads with links); what it read with a link goes with the link.
  let insights: Insights | undefined;
  const linked = new LinkedAccounts(
    links,
    oauth,
    clock,
    log.child({ part: 'accounts' }),
    locks,
    async (link) => (roles ? roles.clear(link.discordUserId, link.discord) : true),
    async (xUserId) => insights?.forgetOwnReads(xUserId),
  );
  const roleRefresher =
    roles && new RoleRefresher({ roles, links, locks, x, clock, log: log.child({ part: 'linked-roles' }) });

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.discord.apiUrl ? { api: config.discord.apiUrl } : {},
    // An X display name must never ping anyone: nothing is parsed unless a reply says so.
    allowedMentions: { parse: [] },
    // One IDENTIFY [id, count] per shard id of this process. Both are given: discord.js reads
    // SHARD_COUNT from the environment when shardCount is left at 1, the key config.ts reads too.
    shards: [...config.discord.shards.ids],
    shardCount: config.discord.shards.count,
    // Every interaction carries its user and member, and discord.js would keep each one it saw for
    // the life of the process: memory growing with every person who ever clicked. Flock reads
    // them from the interaction alone; it keeps only its own member (for its channel permissions)
    // and no messages. Guilds, channels and roles stay cached, as discord.js needs them.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
    }),
  });
  // Every answer to an interaction, the router's and the link flow's, on one client of its own.
  const answers = new InteractionWebhooks(config.discord.apiUrl);
  opened.push(async () => answers.close());
  const linking = new LinkFlow({
    attempts: new LinkAttempts(store, key, clock),
    linked,
    xOAuth: oauth,
    x,
    discord: discordOAuth && roles ? { oauth: discordOAuth, roles } : undefined,
    signedStates: new SignedStates(key),
    clock,
    log: log.child({ part: 'linking' }),
    // Outside the bot's global limit, as every answer to an interaction (interaction-webhooks.ts).
    editReply: async (applicationId, token, content) => {
      await answers.editOriginal(
        { applicationId, token },
        { content, components: [], allowed_mentions: { parse: [] } },
      );
    },
    publicUrl: config.web.publicUrl,
  });
  // Background work one process does for the whole bot, whichever holds its lease.
  const background = new Roles({ leases: coordination.leases, log: log.child({ part: 'roles' }) });
  const web = await startWebServer({
    port: config.web.port,
    host: config.web.host,
    publicUrl: config.web.publicUrl,
    log,
    health: async () => {
      const shards = shardHealth(client, config.discord.shards.ids);
      const storeState = (await store.ping()) ? 'ready' : 'not answering';
      // A shard that gave up (refused, or out of retries) means part of Discord is not served.
      const ok = client.isReady() && shards.every((s) => s.status === 'ready') && storeState === 'ready';
      return { ok, shards, store: storeState, roles: background.held() };
    },
    linking,
    ...(options.webLimits ? { limits: options.webLimits } : {}),
  });
  opened.push(() => web.close());

  const subscriptions = new Subscriptions(store, coordination.locks);
  const migrated = await subscriptions.migrate();
  if (migrated) log.info('alert subscriptions moved to one record each', { count: migrated });
  const states = new AccountStates(store, coordination.locks);
  const schedule = createAlerts({
    x,
    clock,
    log: log.child({ part: 'alerts' }),
    store,
    subscriptions,
    states,
    outbox: new Outbox(store, coordination.locks),
    send: async (channelId, body, files) => {
      await client.rest.post(Routes.channelMessages(channelId), {
        body,
        ...(files?.length ? { files } : {}),
      });
    },
    notifyGuild: async (guildId, text) => {
      const channel = client.guilds.cache.get(guildId)?.systemChannel;
      if (channel) await channel.send({ content: text, allowedMentions: { parse: [] } });
    },
    guildLocale: (guildId) => client.guilds.cache.get(guildId)?.preferredLocale,
    config: config.alerts,
    locks: coordination.locks,
    // Flock's own Activity subscriptions, apart from other bots on the same X app.
    tag: `flock:${config.discord.applicationId}`,
    ...(options.alertStream ? { stream: options.alertStream } : {}),
    withLinkedToken: async (xUserId, call) => {
      const owner = await links.ownerOf(xUserId);
      return owner ? linked.withAuth(owner, (auth) => call(auth)) : undefined;
    },
  });

  insights = new Insights({
    x,
    linked,
    store,
    clock,
    log: log.child({ part: 'insights' }),
    locks: coordination.locks,
    leases: coordination.leases,
    discordApiUrl: config.discord.apiUrl,
    userDailyUsd: config.insights.userDailyUsd,
    ...(options.insightsLeaseTtlMs ? { leaseTtlMs: options.insightsLeaseTtlMs } : {}),
    key,
  });
  const services: Services = {
    config,
    log,
    clock,
    store,
    x,
    accounts: new AccountDirectory(x, store, clock),
    paging: new Paging(x, store, clock, config.paging.expiryMs, coordination.locks, linked),
    linked,
    linking,
    roleRefresher,
    alerts: { subscriptions, states, schedule },
    insights,
  };
  const route = createRouter(
    COMMANDS,
    [pageButtons, lookupButtons, linkButtons, insightsButtons],
    services,
    answers,
  );
  // The answers being worked on, which stop() lets finish before it closes their client.
  const answering = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const answer = route(interaction);
    answering.add(answer);
    void answer.finally(() => answering.delete(answer));
  });
  client.on(Events.Error, (error) => log.error('discord client error', { error }));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn('gateway disconnected', { shard }));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  opened.push(() => client.destroy());
  await client.login(config.discord.token);
  await ready;
  log.info('logged in to Discord', { user: client.user?.tag, guilds: client.guilds.cache.size });
  const synced = await syncCommands({
    token: config.discord.token,
    apiUrl: config.discord.apiUrl,
    applicationId: config.discord.applicationId,
    guildId: config.discord.guildId,
    commands: COMMANDS,
    store,
    log,
  });
  useCommandMentions(synced.ids);

  // Without the metadata, servers cannot pick Flock's conditions for a linked role; linking still works.
  await roles
    ?.register(store)
    .catch((error: unknown) => log.warn('could not register Linked Roles metadata', { error }));
  log.info('link flow', {
    linking: linking.enabled,
    xRedirectUri: config.web.redirectUri,
    discordRedirectUri: config.web.discordRedirectUri,
    linkedRolesUrl: `${config.web.publicUrl}/linked-roles`,
  });

  // Keyv deletes an expired record only when it is read again: sweep the ones nobody reads.
  const sweeper = new Sweeper({ store, log: log.child({ part: 'store' }) });
  background.add({
    name: 'alerts',
    start: (fence) => schedule.start(undefined, fence),
    stop: () => schedule.stop(),
  });
  if (roleRefresher)
    background.add({
      name: 'linked-roles',
      start: () => roleRefresher.start(),
      stop: async () => roleRefresher.stop(),
    });
  background.add({ name: 'sweeper', start: () => sweeper.start(), stop: () => sweeper.stop() });
  if (options.autoPoll !== false) await background.start();
  // Reads someone confirmed go on from their stored cursors (not polling: they were asked for).
  services.insights.start();
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
      // Released at once, so that another process takes the roles over without waiting out a TTL.
      await background.stop();
      await services.insights.stop();
      client.removeAllListeners(Events.InteractionCreate);
      // Within Discord's 3 seconds, whatever has not answered by then never will.
      await settledWithin(Promise.allSettled(answering), 3_000);
      await answers.close();
      await client.destroy();
      await web.close();
      await saveState().catch((error: unknown) =>
        log.warn('could not save X spend and rate limits', { error }),
      );
      await coordination.close();
      await store.close();
      log.info('stopped');
    },
  };
}
