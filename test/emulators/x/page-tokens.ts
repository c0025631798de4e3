/**
 * Paging of X's user lists (followers, following, blocking, muting): `max_results` 1–1000
 * (default 100), opaque `pagination_token`s bound to one list that expire, `next_token` unless
 * this is the last page, `previous_token` from the second page on, and hidden accounts taking
 * their place in a page before being left out, so pages come back short while more remain.
 */
import { type Answer, invalidRequest } from './problems.js';
import { type EmuUser, World } from './world.js';

interface PageToken {
  list: string;
  offset: number;
  expiresAt: number;
}

export interface Paging {
  max: number;
  offset: number;
}

export class PageTokens {
  readonly #tokens = new Map<string, PageToken>();
  readonly #tokenFor = new Map<string, string>();

  /** `ttlMs` is read at each token issued, so tests can change it on a running emulator. */
  constructor(
    private readonly now: () => number,
    private readonly ttlMs: () => number,
  ) {}

  /** `max_results` and `pagination_token` checked as X checks them, for the list named `list`. */
  parse(query: URLSearchParams, list: string): Paging | Answer {
    const maxRaw = query.get('max_results') ?? '100';
    const max = Number(maxRaw);
    if (!/^\d+$/.test(maxRaw) || max < 1 || max > 1000) {
      return invalidRequest(
        'max_results',
        maxRaw,
        `The \`max_results\` query parameter value [${maxRaw}] is not between 1 and 1000`,
      );
    }
    const tokenRaw = query.get('pagination_token');
    if (tokenRaw === null) return { max, offset: 0 };
    const token = this.#tokens.get(tokenRaw);
    if (tokenRaw.length < 16 || !token || token.list !== list || token.expiresAt <= this.now()) {
      return invalidRequest(
        'pagination_token',
        tokenRaw,
        `The \`pagination_token\` query parameter value [${tokenRaw}] is not valid`,
      );
    }
    return { max, offset: token.offset };
  }

  /** The page of `ids` (the whole list, newest first) that `paging` asks for: the users shown, and `meta`. */
  page(
    world: World,
    list: string,
    ids: readonly string[],
    { max, offset }: Paging,
  ): { shown: EmuUser[]; meta: Record<string, unknown> } {
    const shown = ids.slice(offset, offset + max).flatMap((id) => {
      const user = world.users.get(id);
      return user && user.state === 'active' ? [user] : [];
    });
    const meta: Record<string, unknown> = { result_count: shown.length };
    if (offset + max < ids.length) meta.next_token = this.#issue(list, offset + max);
    if (offset > 0) meta.previous_token = this.#issue(list, Math.max(0, offset - max));
    return { shown, meta };
  }

  #issue(list: string, offset: number): string {
    const key = `${list}@${offset}`;
    let token = this.#tokenFor.get(key);
    const record = token ? this.#tokens.get(token) : undefined;
    if (!token || !record || record.expiresAt <= this.now()) {
      token = World.randomToken(24)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0');
      this.#tokenFor.set(key, token);
    }
    this.#tokens.set(token, { list, offset, expiresAt: this.now() + this.ttlMs() });
    return token;
  }
}
