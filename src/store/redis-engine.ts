/**
 * Redis as Flock's store, for several processes: one connection shared by every namespace,
 * expiry left to Redis (Keyv's TTL becomes the key's PX), and take as one GETDEL. Keys are laid
 * out as in SQLite, `namespace:key`, in the database STORE_URL names (`redis://host:6379/2`).
 *
 * While Redis is away the connection retries with capped backoff and every call fails at once
 * with StoreUnavailableError instead of queueing until Redis returns (by then whoever asked has
 * given up); nothing crashes the process.
 */
import KeyvRedis from '@keyv/redis';
import { createClient, ErrorReply } from '@redis/client';
import Keyv, { type KeyvEntry } from 'keyv';
import { type Engine, liveValue } from './engine.js';
import { StoreError, StoreUnavailableError } from './store-error.js';

/** How long openStore waits for Redis's first answer before giving up with one line. */
export const REDIS_START_TIMEOUT_MS = 3_000;
/** The longest wait between two reconnection attempts. */
export const REDIS_RECONNECT_CAP_MS = 5_000;
const PING_TIMEOUT_MS = 2_000;

type RedisClient = ReturnType<typeof createClient>;

export async function openRedisEngine(url: string): Promise<Engine> {
  const where = describe(url);
  let client: RedisClient;
  try {
    client = createClient({
      url,
      // A call while Redis is away is refused at once rather than held until it returns.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: backoff },
    });
  } catch {
    throw new StoreError(`STORE_URL is not a valid Redis address (${where}).`);
  }
  // The client retries by itself; without a listener its 'error' events would end the process.
  client.on('error', () => undefined);
  // Every namespace's adapter adds its listeners to this one client; how many there are is
  // fixed by the code (one per kind of record), not by use.
  client.setMaxListeners(0);
  await connectAtStart(client, where);

  return {
    makeKeyv(name) {
      const adapter = new RedisNamespace(client, name);
      // The adapter prefixes keys with its namespace; Keyv must not prefix them a second time.
      return new Keyv({ store: adapter, namespace: name, useKeyPrefix: false, throwOnErrors: true });
    },
    async take(keyv, key) {
      const raw = await (keyv.store as RedisNamespace).getDel(key);
      return raw === undefined ? undefined : liveValue(keyv, raw);
    },
    // Redis deletes a key when its PX runs out; Keyv sets one with every TTL.
    sweepExpired: async () => 0,
    async ping() {
      if (!client.isReady) return false;
      const timeout = new Promise<false>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref());
      return Promise.race([
        client.ping().then(
          (reply) => reply === 'PONG',
          () => false,
        ),
        timeout,
      ]);
    },
    async close() {
      if (!client.isOpen) return;
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}

/** Doubles from 100 ms up to the cap, with jitter so that several processes do not retry in step. */
function backoff(retries: number): number {
  return Math.min(100 * 2 ** retries, REDIS_RECONNECT_CAP_MS) + Math.floor(Math.random() * 100);
}

/**
 * The client's connect() keeps retrying (the strategy never gives up, so that a running Flock
 * outlasts a Redis restart). At start, though, a Redis that refuses Flock (a wrong password or
 * database number) or nothing answering within REDIS_START_TIMEOUT_MS is a configuration problem.
 */
async function connectAtStart(client: RedisClient, where: string): Promise<void> {
  let lastError: unknown;
  let timer: NodeJS.Timeout | undefined;
  let refused: ((connected: false) => void) | undefined;
  const onError = (error: unknown) => {
    lastError = error;
    if (error instanceof ErrorReply) refused?.(false);
  };
  client.on('error', onError);
  const connected = await Promise.race([
    client.connect().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => {
      refused = resolve;
      timer = setTimeout(resolve, REDIS_START_TIMEOUT_MS, false);
    }),
  ]);
  clearTimeout(timer);
  client.off('error', onError);
  if (connected && client.isReady) return;
  if (client.isOpen) client.destroy();
  if (lastError instanceof ErrorReply)
    throw new StoreError(
      `STORE_URL: Redis at ${where} refused Flock (${firstSentence(lastError.message)}); correct STORE_URL.`,
    );
  const code = (lastError as { code?: unknown } | undefined)?.code;
  const reason = typeof code === 'string' ? ` (${code})` : '';
  throw new StoreError(
    `STORE_URL: Redis at ${where} is not answering${reason}; start it, or correct STORE_URL.`,
  );
}

/** The address without credentials, for messages. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'an address that is not a URL';
  }
}

/** Redis's error replies run on ("… Are you sure your configuration is correct?"). */
function firstSentence(message: string): string {
  return (message.split(/\.\s|\n/)[0] ?? message).slice(0, 160);
}

/** Replies by which Redis says "not now": loading its data after a restart, a failover, a long script. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * Any other reply from Redis (ErrorReply: a wrong type, out of memory) is an answer and passes as
 * it is; no answer at all is StoreUnavailableError.
 */
function translate(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  if (error instanceof ErrorReply && !TRANSIENT_REPLY.test(error.message)) return error;
  return new StoreUnavailableError({ cause: error });
}

/**
 * PX takes a whole, positive number of milliseconds. A TTL already past (SQLite would keep the
 * record, expired) lives 1 ms: Keyv's own expiry, inside the value, already reads it as absent.
 */
function px(ttl: number | undefined): number | undefined {
  // No TTL (undefined or 0, as the adapter reads it) is no expiry.
  return ttl ? Math.max(1, Math.ceil(ttl)) : undefined;
}

/**
 * @keyv/redis's adapter for one namespace on the shared client, made strict: every call checks
 * the connection first and turns connection failures into StoreUnavailableError. (The adapter
 * would otherwise reconnect a closed client on its own, and its clear() hides every error.)
 */
class RedisNamespace extends KeyvRedis<string> {
  readonly #client: RedisClient;

  constructor(client: RedisClient, namespace: string) {
    super(client, { namespace, keyPrefixSeparator: ':', throwOnErrors: true });
    this.#client = client;
  }

  /** Removes the record and returns its raw value in one step. */
  getDel(key: string): Promise<string | undefined> {
    return this.#guard(async () => (await this.#client.getDel(this.#key(key))) ?? undefined);
  }

  override get<U = string>(key: string): Promise<U | undefined> {
    return this.#guard(() => super.get<U>(key));
  }

  override getMany<U = string>(keys: string[]): Promise<Array<U | undefined>> {
    return this.#guard(() => super.getMany<U>(keys));
  }

  override set(key: string, value: string, ttl?: number): Promise<void> {
    return this.#guard(() => super.set(key, value, px(ttl)));
  }

  override setMany(entries: KeyvEntry[]): Promise<void> {
    return this.#guard(() => super.setMany(entries.map((entry) => ({ ...entry, ttl: px(entry.ttl) }))));
  }

  override has(key: string): Promise<boolean> {
    return this.#guard(() => super.has(key));
  }

  override hasMany(keys: string[]): Promise<boolean[]> {
    return this.#guard(() => super.hasMany(keys));
  }

  override delete(key: string): Promise<boolean> {
    return this.#guard(() => super.delete(key));
  }

  override deleteMany(keys: string[]): Promise<boolean> {
    return this.#guard(() => super.deleteMany(keys));
  }

  override clear(): Promise<void> {
    return this.#guard(async () => {
      for await (const keys of this.#client.scanIterator({ MATCH: this.#key('*'), COUNT: 1_000 }))
        if (keys.length > 0) await this.#client.unlink(keys);
    });
  }

  override async *iterator<U = string>(namespace?: string): AsyncGenerator<[string, U | undefined], void> {
    this.#checkReady();
    try {
      // A key deleted between the scan and the read comes back without a value; Keyv's
      // iterator would fail on it, and it is gone anyway.
      for await (const entry of super.iterator<U>(namespace)) if (entry[1] !== undefined) yield entry;
    } catch (error) {
      throw translate(error);
    }
  }

  /** The engine owns the shared client and closes it once, after every namespace. */
  override async disconnect(): Promise<void> {}

  #key(key: string): string {
    return this.createKeyPrefix(key, this.namespace);
  }

  #checkReady(): void {
    // Also keeps the adapter from reconnecting a client the engine has closed.
    if (!this.#client.isReady) throw new StoreUnavailableError();
  }

  async #guard<R>(call: () => Promise<R>): Promise<R> {
    this.#checkReady();
    try {
      return await call();
    } catch (error) {
      throw translate(error);
    }
  }
}
