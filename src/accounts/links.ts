/**
 * Linked X accounts, one per Discord user. Who they are is stored as is; their X tokens and the
 * Discord sign-in kept for Linked Roles are sealed (see encryption.ts), so the store never holds
 * a token in plain text. A record that no longer opens (tampered with, or sealed for another
 * user) counts as no link at all: the user is asked to link again.
 */
import type { DiscordTokens } from '../discord/oauth.js';
import type { Logger } from '../log.js';
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
  /** The user's Discord sign-in, to keep their Linked Roles values up to date. */
  discord?: DiscordTokens | undefined;
  /** The UTC day the Linked Roles values were last written. */
  rolesDay?: string | undefined;
}

interface StoredLink extends Omit<Link, 'tokens' | 'discord'> {
  tokens: Sealed;
  discord?: Sealed;
}

export class LinkStore {
  readonly #links;

  constructor(
    store: Store,
    private readonly key: Buffer,
    private readonly log: Logger,
  ) {
    this.#links = store.namespace<StoredLink>('links');
  }

  async get(discordUserId: string): Promise<Link | undefined> {
    const stored = await this.#links.get(discordUserId);
    return stored && this.#open(stored);
  }

  async save(link: Link): Promise<void> {
    const { tokens, discord, ...plain } = link;
    await this.#links.set(link.discordUserId, {
      ...plain,
      tokens: seal(this.key, JSON.stringify(tokens), link.discordUserId),
      ...(discord
        ? { discord: seal(this.key, JSON.stringify(discord), `discord:${link.discordUserId}`) }
        : {}),
    });
  }

  async delete(discordUserId: string): Promise<boolean> {
    return this.#links.delete(discordUserId);
  }

  /** Every link, a few at a time (for the daily Linked Roles refresh). */
  async *all(): AsyncGenerator<Link> {
    if (!this.#links.iterator) return;
    for await (const [, stored] of this.#links.iterator(undefined)) {
      const link = stored && (await this.#open(stored as StoredLink));
      if (link) yield link;
    }
  }

  async #open(stored: StoredLink): Promise<Link | undefined> {
    const { discordUserId } = stored;
    try {
      const tokens = JSON.parse(open(this.key, stored.tokens, discordUserId)) as LinkTokens;
      const discord = stored.discord
        ? (JSON.parse(open(this.key, stored.discord, `discord:${discordUserId}`)) as DiscordTokens)
        : undefined;
      return { ...stored, tokens, discord };
    } catch (error) {
      this.log.warn('a linked account could not be decrypted; it counts as unlinked', {
        discordUserId,
        error,
      });
      await this.#links.delete(discordUserId);
      return undefined;
    }
  }
}
