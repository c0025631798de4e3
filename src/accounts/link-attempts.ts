/**
 * A link in progress. It starts from /link (owned by the Discord user who ran it) or from
 * Discord's Linked Roles menu (owned by whoever signs in with Discord), is bound to the first
 * browser that opens it, and lives ten minutes. Each OAuth redirect carries a fresh state that
 * is taken atomically, once. Keys are hashes of the start id and of the states, and the secrets
 * in a record (the interaction token, PKCE verifier, Discord tokens) are sealed, so the store
 * holds nothing a reader could replay. A Discord user has at most one pending attempt.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { DiscordTokens } from '../discord/oauth.js';
import type { Store } from '../store/open-store.js';
import { open, type Sealed, seal } from './encryption.js';

export const ATTEMPT_TTL_MS = 10 * 60_000;
/** Records outlive their validity a little, so an expired link says "expired", not "unknown". */
const RECORD_TTL_MS = ATTEMPT_TTL_MS + 5 * 60_000;

export type LinkEntry = 'command' | 'linked-roles';
export type Provider = 'discord' | 'x';

interface Secrets {
  /** The /link interaction's token, to edit its reply when the link is done. */
  interactionToken?: string;
  /** X's PKCE verifier, once the browser is on its way to X. */
  verifier?: string;
  /** The Discord sign-in, kept for the Linked Roles connection. */
  discord?: DiscordTokens;
}

export interface LinkAttempt extends Secrets {
  /** Hash of the start id: the record's key. */
  key: string;
  entry: LinkEntry;
  /** Who ran /link; for a Linked Roles entry, whoever signed in with Discord. */
  owner: string | undefined;
  /**
   * The Discord locale /link was run in: its reply's later edits and the attempt's pages are in
   * that language. Undefined for a Linked Roles entry, and for attempts stored before it was kept.
   */
  locale?: string | undefined;
  applicationId: string | undefined;
  /** Hash of the browser cookie this attempt is bound to, from its first opening on. */
  browser: string | undefined;
  /** Hash of the one live state per provider: a newer redirect retires the older state. */
  states?: Partial<Record<Provider, string>>;
  createdAt: number;
}

interface StoredAttempt extends Omit<LinkAttempt, keyof Secrets | 'key'> {
  secrets: Sealed;
}

interface StoredState {
  attempt: string;
  provider: Provider;
}

/**
 * The locale an attempt is said in: the /link user's (English for an attempt stored before the
 * locale was kept, whose reply was English too); undefined for a Linked Roles entry, whose pages
 * follow the browser.
 */
export function localeOf(attempt: LinkAttempt): string | undefined {
  return attempt.entry === 'command' ? (attempt.locale ?? 'en-US') : undefined;
}

export const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const token = () => randomBytes(32).toString('base64url');

/** An expired attempt comes back too, so whoever ends it can revoke what it holds. */
export type Found =
  | { kind: 'ok'; attempt: LinkAttempt }
  | { kind: 'unknown' }
  | { kind: 'expired'; attempt?: LinkAttempt };

export class LinkAttempts {
  readonly #attempts;
  readonly #states;
  readonly #pending;
  readonly #used;

  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {
    this.#attempts = store.namespace<StoredAttempt>('link-attempts');
    this.#states = store.namespace<StoredState>('link-states');
    this.#pending = store.namespace<string>('link-pending');
    this.#used = store.namespace<true>('link-used-states');
  }

  /**
   * Records a new attempt; returns the id of its start URL, and the user's older attempt, which
   * stops working (its caller revokes what it held).
   */
  async create(
    fields: Pick<LinkAttempt, 'entry' | 'owner' | 'applicationId' | 'interactionToken' | 'locale'>,
  ) {
    const startId = randomBytes(16).toString('base64url');
    const attempt: LinkAttempt = {
      ...fields,
      key: digest(startId),
      browser: undefined,
      createdAt: this.clock.now(),
    };
    const replaced = attempt.owner ? await this.retire(attempt.owner) : undefined;
    await this.save(attempt);
    if (attempt.owner) await this.#pending.set(attempt.owner, attempt.key, RECORD_TTL_MS);
    return { startId, attempt, replaced };
  }

  /** Ends the user's pending attempt, if any, and returns it. */
  async retire(owner: string): Promise<LinkAttempt | undefined> {
    const key = await this.store.take<string>('link-pending', owner);
    if (!key) return undefined;
    const found = await this.#load(key);
    await this.#attempts.delete(key);
    return found.kind === 'unknown' ? undefined : found.attempt;
  }

  /** Re-reads an attempt by its key (after a wait: it may have been burned or retired meanwhile). */
  async reload(attempt: LinkAttempt): Promise<Found> {
    return this.#load(attempt.key);
  }

  async find(startId: string): Promise<Found> {
    return this.#load(digest(startId));
  }

  async save(attempt: LinkAttempt): Promise<void> {
    const { key, interactionToken, verifier, discord, ...plain } = attempt;
    const secrets = seal(this.key, JSON.stringify({ interactionToken, verifier, discord }), key);
    await this.#attempts.set(key, { ...plain, secrets }, RECORD_TTL_MS);
  }

  /**
   * A fresh state for the next redirect (the attempt's older state for this provider stops
   * working); taking it later leads back to this attempt, once. Saves the attempt as given.
   */
  async newState(attempt: LinkAttempt, provider: Provider): Promise<string> {
    const state = token();
    const previous = attempt.states?.[provider];
    if (previous) await this.#states.delete(previous);
    await this.#states.set(digest(state), { attempt: attempt.key, provider }, RECORD_TTL_MS);
    await this.save({ ...attempt, states: { ...attempt.states, [provider]: digest(state) } });
    return state;
  }

  /** Marks a signed (stateless) state as used; false when it was used already. */
  async useSignedState(state: string): Promise<boolean> {
    const key = digest(state);
    if (await this.#used.get(key)) return false;
    await this.#used.set(key, true, RECORD_TTL_MS);
    return true;
  }

  /** The attempt a state leads to, using the state up: of two concurrent callbacks, one wins. */
  async takeState(state: string, provider: Provider): Promise<Found> {
    const taken = await this.store.take<StoredState>('link-states', digest(state));
    if (!taken || taken.provider !== provider) return { kind: 'unknown' };
    return this.#load(taken.attempt);
  }

  /** Ends an attempt: nothing can continue it. */
  async burn(attempt: LinkAttempt): Promise<void> {
    await this.#attempts.delete(attempt.key);
    for (const state of Object.values(attempt.states ?? {})) await this.#states.delete(state);
    if (attempt.owner && (await this.#pending.get(attempt.owner)) === attempt.key)
      await this.#pending.delete(attempt.owner);
  }

  /** A new browser binding: the cookie's value (kept only as a hash in the attempt). */
  static newBrowserSecret(): string {
    return token();
  }

  async #load(key: string): Promise<Found> {
    const record = await this.#attempts.get(key);
    if (!record?.secrets) return { kind: 'unknown' };
    const { secrets, ...plain } = record;
    const attempt: LinkAttempt = { ...plain, key, ...(JSON.parse(open(this.key, secrets, key)) as Secrets) };
    if (this.clock.now() - record.createdAt > ATTEMPT_TTL_MS) return { kind: 'expired', attempt };
    return { kind: 'ok', attempt };
  }
}
