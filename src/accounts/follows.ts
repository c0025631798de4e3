/**
 * Following and unfollowing on X as a linked Discord user. The target is looked up with the
 * user's own token and its connection_status first: an account already followed (or already
 * requested) costs a $0.01 read instead of a $0.015 write, and the answer can say so.
 */

import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import { xHandle } from '../discord/x-text.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import { type UserAuth, type UserRef, XNotEnrolledError, type XUser } from '../x/index.js';
import { NotLinkedError } from './linked-accounts.js';
import type { Link } from './links.js';

const TARGET_FIELDS = ['connection_status', 'protected'] as const;

/** X removed follow/unfollow from self-serve plans in 2026: say so plainly. */
async function explainPlan<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof XNotEnrolledError) {
      throw new UserError(
        "This bot's X app can't follow or unfollow accounts: its X plan doesn't include following. The bot's operator can change the plan in the X developer portal.",
        { cause: error },
      );
    }
    throw error;
  }
}

export class SelfFollowError extends UserError {
  constructor(verb: 'follow' | 'unfollow') {
    super(`You can't ${verb} yourself.`);
  }
}

/** Refuses, before any request to X, a user with no link or a reference to their own account. */
export async function assertCanFollow(
  services: Services,
  discordUserId: string,
  ref: UserRef,
  verb: 'follow' | 'unfollow',
) {
  const link = await services.linked.get(discordUserId);
  if (!link) throw new NotLinkedError();
  // Checked here, before any request: the reference already names the linked account.
  const self =
    ref.kind === 'id' ? ref.id === link.xUserId : ref.username.toLowerCase() === link.username.toLowerCase();
  if (self) throw new SelfFollowError(verb);
}

interface Target {
  auth: UserAuth;
  link: Link;
  user: XUser;
  /** How the linked account relates to the target now (X's connection_status). */
  status: string[];
}

/**
 * Runs `act` as the linked account against the target, read first with the user's token; X's
 * errors become plain words naming the account.
 */
function withTarget(
  services: Services,
  discordUserId: string,
  ref: UserRef,
  verb: 'follow' | 'unfollow',
  act: (target: Target) => Promise<string>,
) {
  return explainXErrors(refLabel(ref), () =>
    services.linked.withAuth(discordUserId, async (auth, link) => {
      const options = { auth, userFields: TARGET_FIELDS };
      const user =
        ref.kind === 'id'
          ? await services.x.userById(ref.id, options)
          : await services.x.userByUsername(ref.username, options);
      if (user.id === link.xUserId) throw new SelfFollowError(verb);
      return act({ auth, link, user, status: user.connection_status ?? [] });
    }),
  );
}

export function followAccount(services: Services, discordUserId: string, ref: UserRef): Promise<string> {
  return withTarget(services, discordUserId, ref, 'follow', async ({ auth, link, user, status }) => {
    if (status.includes('following')) return `You already follow **${xHandle(user)}** on X.`;
    if (status.includes('follow_request_sent'))
      return `Your follow request to **${xHandle(user)}** is still waiting for their approval.`;
    const result = await explainPlan(() => services.x.follow(auth, link.xUserId, user.id));
    if (result.pendingFollow)
      return `Follow request sent: **${xHandle(user)}** is a protected account and approves each follower.`;
    return `You now follow **${xHandle(user)}** on X.`;
  });
}

export function unfollowAccount(services: Services, discordUserId: string, ref: UserRef): Promise<string> {
  return withTarget(services, discordUserId, ref, 'unfollow', async ({ auth, link, user, status }) => {
    if (!status.includes('following') && !status.includes('follow_request_sent')) {
      return `You don't follow **${xHandle(user)}** on X, so nothing changed.`;
    }
    await explainPlan(() => services.x.unfollow(auth, link.xUserId, user.id));
    return status.includes('following')
      ? `You no longer follow **${xHandle(user)}** on X.`
      : `Your follow request to **${xHandle(user)}** was withdrawn.`;
  });
}
