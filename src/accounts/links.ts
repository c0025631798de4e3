/**
 * Linked X accounts, one per Discord user. Who they are is stored as is; their X tokens and the
 * Discord sign-in kept for Linked Roles are sealed (see encryption.ts), so the store never holds
 * a token in plain text. A record that no longer opens (tampered with, or sealed for another
 * user) counts as no link at all: the user is asked to link again.
 */
import type { DiscordTokens, RoleConnection } from '../discord/oauth.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import { open, type Sealed, seal } from './encryption.js';
import { OwnListPages } from './own-list-pages.js';

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
  /** The UTC day the Linked Roles values were last written, and what they were. */
  rolesDay?: string | undefined;
  rolesValues?: RoleConnection | undefined;
}

interface StoredLink extends Omit<Link, 'tokens' | 'discord'> {
  tokens: Sealed;
  discord?: Sealed;
}

/** How long Flock keeps trying to clear Linked Roles values Discord did not confirm clearing. */
const CLEAR_RETRY_MS = 30 * 24 * 60 * 60_000;

export class LinkStore {
  readonly #links;
  /** X user id → the Discord user linked to it: one X account serves one Discord account. */
  readonly #owners;
  /** Discord sign-ins whose Linked Roles values still need clearing (sealed), by Discord user. */
  readonly #clears;
  /** The day's pages of each user's own blocks and mutes: theirs, so they go with the link. */
  readonly ownListPages: OwnListPages;

  constructor(
    store: Store,
    private readonly key: Buffer,
    private readonly log: Logger,
  ) {
    this.#links = store.namespace<StoredLink>('links');
    this.#owners = store.namespace<string>('link-owners');
    this.#clears = store.namespace<Sealed>('role-clears');
    this.ownListPages = new OwnListPages(store, key);
  }

  async get(discordUserId: string): Promise<Link | undefined> {
    const stored = await this.#links.get(discordUserId);
    return stored && this.#open(stored);
  }

  /** The Discord user whose link holds this X account, if any. */
  async ownerOf(xUserId: string): Promise<string | undefined> {
    const owner = await this.#owners.get(xUserId);
    // The index is written after the link: trust it only while the link agrees.
    return owner && (await this.#links.get(owner))?.xUserId === xUserId ? owner : undefined;
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
    await this.#owners.set(link.xUserId, link.discordUserId);
  }

  async delete(discordUserId: string): Promise<boolean> {
    const stored = await this.#links.get(discordUserId);
    const deleted = await this.#links.delete(discordUserId);
    await this.ownListPages.forget(discordUserId);
    if (stored && (await this.#owners.get(stored.xUserId)) === discordUserId)
      await this.#owners.delete(stored.xUserId);
    return deleted;
  }

  /** Keeps a Discord sign-in whose Linked Roles values must still be cleared. */
  async keepForClearing(discordUserId: string, tokens: DiscordTokens): Promise<void> {
    const sealed = seal(this.key, JSON.stringify(tokens), `clear:${discordUserId}`);
    await this.#clears.set(discordUserId, sealed, CLEAR_RETRY_MS);
  }

  /** Sign-ins still to clear (read whole first: deleting while paging would skip records). */
  async toClear(): Promise<{ discordUserId: string; tokens: DiscordTokens }[]> {
    if (!this.#clears.iterator) return [];
    const entries: [string, Sealed][] = [];
    for await (const [key, sealed] of this.#clears.iterator(undefined))
      entries.push([String(key), sealed as Sealed]);
    const out: { discordUserId: string; tokens: DiscordTokens }[] = [];
    for (const [discordUserId, sealed] of entries) {
      try {
        out.push({
          discordUserId,
          tokens: JSON.parse(open(this.key, sealed, `clear:${discordUserId}`)) as DiscordTokens,
        });
      } catch {
        await this.#clears.delete(discordUserId);
      }
    }
    return out;
  }

  async cleared(discordUserId: string): Promise<void> {
    await this.#clears.delete(discordUserId);
  }

  /** Every link (for the daily Linked Roles refresh), read whole before any is opened. */
  async all(): Promise<Link[]> {
    if (!this.#links.iterator) return [];
    const stored: StoredLink[] = [];
    for await (const [, value] of this.#links.iterator(undefined))
      if (value) stored.push(value as StoredLink);
    const links: Link[] = [];
    for (const record of stored) {
      const link = await this.#open(record);
      if (link) links.push(link);
    }
    return links;
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
      await this.ownListPages.forget(discordUserId);
      return undefined;
    }
  }
}
