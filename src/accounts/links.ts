/**
 * Linked X accounts, one per Discord user. Who they are is stored as is; their tokens are sealed
 * (see encryption.ts), so the store never holds a token in plain text.
 */
import type { Store } from '../store/open-store.js';
import { open, type Sealed, seal } from './encryption.js';

export interface LinkTokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** ms since epoch. */
  expiresAt: number;
  scopes: string[];
}

export interface Link {
  discordUserId: string;
  xUserId: string;
  username: string;
  name: string;
  linkedAt: number;
  tokens: LinkTokens;
}

interface StoredLink extends Omit<Link, 'tokens'> {
  tokens: Sealed;
}

export class LinkStore {
  readonly #links;

  constructor(
    store: Store,
    private readonly key: Buffer,
  ) {
    this.#links = store.namespace<StoredLink>('links');
  }

  async get(discordUserId: string): Promise<Link | undefined> {
    const stored = await this.#links.get(discordUserId);
    if (!stored) return undefined;
    const tokens = JSON.parse(open(this.key, stored.tokens, discordUserId)) as LinkTokens;
    return { ...stored, tokens };
  }

  async save(link: Link): Promise<void> {
    const tokens = seal(this.key, JSON.stringify(link.tokens), link.discordUserId);
    await this.#links.set(link.discordUserId, { ...link, tokens });
  }

  async delete(discordUserId: string): Promise<boolean> {
    return this.#links.delete(discordUserId);
  }
}
