/**
 * A /link in progress: the OAuth state (32 random bytes) bound to one Discord user, its PKCE
 * verifier, and what is needed to edit the /link reply afterwards. Single use, valid for ten
 * minutes. Keys are hashes of the state and the start id, and the secrets in the record are
 * sealed, so the store holds nothing a reader could replay.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/open-store.js';
import { open, type Sealed, seal } from './encryption.js';

export const ATTEMPT_TTL_MS = 10 * 60_000;

export interface LinkAttempt {
  discordUserId: string;
  state: string;
  verifier: string;
  /** The /link interaction's token, to edit its reply to "Linked as …". */
  interactionToken: string;
  applicationId: string;
  createdAt: number;
}

interface StoredAttempt {
  discordUserId: string;
  applicationId: string;
  createdAt: number;
  secrets: Sealed;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

export type TakeResult = { kind: 'ok'; attempt: LinkAttempt } | { kind: 'unknown' } | { kind: 'expired' };

export class LinkAttempts {
  readonly #attempts;
  readonly #starts;

  constructor(
    store: Store,
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {
    this.#attempts = store.namespace<StoredAttempt>('link-attempts');
    this.#starts = store.namespace<string>('link-starts');
  }

  /** Records a new attempt; returns the id of its start URL. */
  async create(
    fields: Omit<LinkAttempt, 'state' | 'createdAt'>,
  ): Promise<{ startId: string; state: string }> {
    const state = randomBytes(32).toString('base64url');
    const startId = randomBytes(16).toString('base64url');
    const secrets = seal(
      this.key,
      JSON.stringify({ state, verifier: fields.verifier, interactionToken: fields.interactionToken }),
      fields.discordUserId,
    );
    const record: StoredAttempt = {
      discordUserId: fields.discordUserId,
      applicationId: fields.applicationId,
      createdAt: this.clock.now(),
      secrets,
    };
    // Written under the state's hash first: a start URL never points at a missing attempt.
    await this.#attempts.set(digest(state), record, ATTEMPT_TTL_MS + 60_000);
    await this.#starts.set(digest(startId), digest(state), ATTEMPT_TTL_MS + 60_000);
    return { startId, state };
  }

  /** The attempt a start URL names, without using it up (the browser may load the page twice). */
  async peek(startId: string): Promise<TakeResult> {
    const stateKey = await this.#starts.get(digest(startId));
    const record = stateKey ? await this.#attempts.get(stateKey) : undefined;
    return this.#result(record);
  }

  /** Uses the attempt up: a second callback with the same state finds nothing. */
  async take(state: string): Promise<TakeResult> {
    const key = digest(state);
    const record = await this.#attempts.get(key);
    // Whoever deletes it owns it; a concurrent replay loses the race.
    if (!record || !(await this.#attempts.delete(key))) return { kind: 'unknown' };
    return this.#result(record);
  }

  #result(record: StoredAttempt | undefined): TakeResult {
    if (!record) return { kind: 'unknown' };
    if (this.clock.now() - record.createdAt > ATTEMPT_TTL_MS) return { kind: 'expired' };
    const secrets = JSON.parse(open(this.key, record.secrets, record.discordUserId)) as Pick<
      LinkAttempt,
      'state' | 'verifier' | 'interactionToken'
    >;
    return { kind: 'ok', attempt: { ...record, ...secrets } };
  }
}
