/**
 * Pages of a linked user's own blocks and mutes, read with their own token (X serves these lists
 * to nobody else) at the size a page shows, and kept sealed for the rest of the UTC day with their
 * link (accounts/own-list-pages.ts). Nothing is sent to X for someone with no link, or whose link
 * lacks the scope: they are asked to relink instead.
 */
import { TimestampStyles, time } from 'discord.js';
import type { LinkedAccounts } from '../accounts/linked-accounts.js';
import { NotLinkedError } from '../accounts/linked-accounts.js';
import type { Link } from '../accounts/links.js';
import { assertGrants, RelinkNeededError } from '../accounts/scopes.js';
import type { Clock } from '../clock.js';
import { UserError } from '../user-error.js';
import { type OwnList, type UserPage, type XClient, XForbiddenError, XRateLimitedError } from '../x/index.js';
import { PAGE_FIELDS, PAGE_SIZE, slimPage } from './page-cache.js';

/** The list was opened for an X account the user is no longer linked to. */
export class OtherAccountError extends UserError {
  constructor() {
    super((t) => t('moderation:list.other-account'));
  }
}

export class OwnPages {
  constructor(
    private readonly x: XClient,
    private readonly linked: LinkedAccounts,
    private readonly clock: Clock,
  ) {}

  /** The user's link, when it may read `list`; throws (with nothing sent to X) when not. */
  async linkFor(discordUserId: string, list: OwnList): Promise<Link> {
    const link = await this.linked.get(discordUserId);
    if (!link) throw new NotLinkedError();
    assertGrants(link, list);
    return link;
  }

  /** The page of `xUserId`'s `list` at `token` ('' for the first), as `discordUserId` may read it. */
  async page(discordUserId: string, list: OwnList, xUserId: string, token: string): Promise<UserPage> {
    const link = await this.linkFor(discordUserId, list);
    if (link.xUserId !== xUserId) throw new OtherAccountError();
    const at = { discordUserId, list, xUserId, token };
    const store = this.linked.links.ownListPages;
    const cached = await store.get(at, this.clock.now());
    if (cached) return cached;
    const page = slimPage(await this.#read(at));
    await store.set(at, page, this.clock.now());
    return page;
  }

  #read({
    discordUserId,
    list,
    xUserId,
    token,
  }: {
    discordUserId: string;
    list: OwnList;
    xUserId: string;
    token: string;
  }) {
    return this.linked
      .withAuth(discordUserId, (auth, current) => {
        // A relink may have happened since the link was read above.
        if (current.xUserId !== xUserId) throw new OtherAccountError();
        return this.x[list](auth, {
          maxResults: PAGE_SIZE,
          userFields: PAGE_FIELDS,
          ...(token ? { paginationToken: token } : {}),
        });
      })
      .catch((error: unknown) => {
        throw explained(error, list);
      });
  }
}

/**
 * X refusing a user token on the user's own list can only be a scope the grant lacks (the list is
 * the token's own); X's per-user limit on these lists is tight enough to name.
 */
function explained(error: unknown, list: OwnList): unknown {
  if (error instanceof XForbiddenError) return new RelinkNeededError(list, { cause: error });
  if (error instanceof XRateLimitedError && error.reason === 'rate-limit') {
    const when = time(Math.ceil(error.resetAt / 1000), TimestampStyles.RelativeTime);
    return new UserError(
      (t) =>
        list === 'blocking'
          ? t('moderation:list.rate-limited-blocks', { when })
          : t('moderation:list.rate-limited-mutes', { when }),
      { cause: error },
    );
  }
  return error;
}
