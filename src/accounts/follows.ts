/**
 * Following and unfollowing on X as a linked Discord user. The target is looked up with the
 * user's own token and its connection_status first: an account already followed (or already
 * requested) costs a $0.01 read instead of a $0.015 write, and the answer can say so.
 */

import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import { type UserRef, XNotEnrolledError, type XUser } from '../x/index.js';
import { NotLinkedError } from './linked-accounts.js';

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

function lookup(services: Services, ref: UserRef, auth: Parameters<Services['x']['me']>[0]): Promise<XUser> {
  const options = { auth, userFields: TARGET_FIELDS };
  return ref.kind === 'id'
    ? services.x.userById(ref.id, options)
    : services.x.userByUsername(ref.username, options);
}

export async function followAccount(
  services: Services,
  discordUserId: string,
  ref: UserRef,
): Promise<string> {
  return explainXErrors(refLabel(ref), () =>
    services.linked.withAuth(discordUserId, async (auth, link) => {
      const target = await lookup(services, ref, auth);
      if (target.id === link.xUserId) throw new SelfFollowError('follow');
      const status = target.connection_status ?? [];
      if (status.includes('following')) return `You already follow **@${target.username}** on X.`;
      if (status.includes('follow_request_sent')) {
        return `Your follow request to **@${target.username}** is still waiting for their approval.`;
      }
      const result = await explainPlan(() => services.x.follow(auth, link.xUserId, target.id));
      if (result.pendingFollow) {
        return `Follow request sent: **@${target.username}** is a protected account and approves each follower.`;
      }
      return `You now follow **@${target.username}** on X.`;
    }),
  );
}

export async function unfollowAccount(
  services: Services,
  discordUserId: string,
  ref: UserRef,
): Promise<string> {
  return explainXErrors(refLabel(ref), () =>
    services.linked.withAuth(discordUserId, async (auth, link) => {
      const target = await lookup(services, ref, auth);
      if (target.id === link.xUserId) throw new SelfFollowError('unfollow');
      const status = target.connection_status ?? [];
      if (!status.includes('following') && !status.includes('follow_request_sent')) {
        return `You don't follow **@${target.username}** on X, so nothing changed.`;
      }
      await explainPlan(() => services.x.unfollow(auth, link.xUserId, target.id));
      return status.includes('following')
        ? `You no longer follow **@${target.username}** on X.`
        : `Your follow request to **@${target.username}** was withdrawn.`;
    }),
  );
}
