/**
 * Following and unfollowing on X as a linked Discord user. The target is looked up with the
 * user's own token and its connection_status first: an account already followed (or already
 * requested) costs a $0.01 read instead of a $0.015 write, and the answer can say so.
 */

import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
  TimestampStyles,
  time,
} from 'discord.js';
import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import { xHandle, xProfileUrl } from '../discord/x-text.js';
import type { Translator, Wording } from '../i18n/translate.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import { type UserAuth, type UserRef, XNotEnrolledError, type XUser } from '../x/index.js';
import { followIntentUrl } from './follow-intent.js';
import { NotLinkedError } from './linked-accounts.js';
import type { Link } from './links.js';
import { WriteAllowance } from './write-allowance.js';

const TARGET_FIELDS = ['connection_status', 'protected'] as const;

/**
 * What /follow and /unfollow answer: the words, and, where Flock could not act because its X
 * plan refuses it, the page on X where the user can do it themselves.
 */
export interface FollowAnswer {
  text: Wording;
  onX?: { label: Wording; url: string };
}

/** A FollowAnswer as a Discord reply in the reader's language: the text, and the page on X as a link button. */
export function followReply(
  answer: FollowAnswer,
  t: Translator,
): {
  content: string;
  components: APIActionRowComponent<APIButtonComponent>[];
} {
  const { text, onX } = answer;
  if (!onX) return { content: text(t), components: [] };
  const button = {
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label: onX.label(t),
    url: onX.url,
  } as const;
  return { content: text(t), components: [{ type: ComponentType.ActionRow, components: [button] }] };
}

/**
 * The write's result, or `PLAN_REFUSED` when the X app's plan lacks the endpoint: X removed
 * follow/unfollow from self-serve plans in April 2026, so in production this is the usual case,
 * not a failure. /mute and /unmute answer the same way (mutes.ts).
 */
export const PLAN_REFUSED = Symbol('plan-refused');
export async function unlessPlanRefuses<T>(call: () => Promise<T>): Promise<T | typeof PLAN_REFUSED> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof XNotEnrolledError) return PLAN_REFUSED;
    throw error;
  }
}

export class SelfFollowError extends UserError {
  constructor(verb: 'follow' | 'unfollow') {
    super((t) => (verb === 'follow' ? t('accounts:follow.self') : t('accounts:unfollow.self')));
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
  act: (target: Target) => Promise<FollowAnswer>,
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

/**
 * Follows as the linked account. Where the plan refuses, the answer is X's follow intent for
 * the account (nothing is stored or retried): the user follows on X in one click.
 */
export function followAccount(
  services: Services,
  discordUserId: string,
  ref: UserRef,
): Promise<FollowAnswer> {
  return withTarget(services, discordUserId, ref, 'follow', async ({ auth, link, user, status }) => {
    const who = xHandle(user);
    if (status.includes('following')) return { text: (t) => t('accounts:follow.already', { who }) };
    if (status.includes('follow_request_sent')) return { text: (t) => t('accounts:follow.waiting', { who }) };
    const spent = await spentAllowance(services, discordUserId, user, 'follow');
    if (spent) return spent;
    const result = await unlessPlanRefuses(() => services.x.follow(auth, link.xUserId, user.id));
    if (result === PLAN_REFUSED) {
      // The client checked the id before the write, so there is an intent; the profile is a fallback.
      const intent = followIntentUrl(user);
      return {
        text: (t) => t('accounts:follow.plan-refuses', { who }),
        onX: intent
          ? { label: (t) => t('accounts:follow.follow-on-x'), url: intent }
          : { label: (t) => t('accounts:open-on-x'), url: xProfileUrl(user) },
      };
    }
    if (result.pendingFollow) return { text: (t) => t('accounts:follow.requested', { who }) };
    return { text: (t) => t('accounts:follow.done', { who }) };
  });
}

/**
 * The answer when the person has used up today's follow writes (follows and unfollows together),
 * else undefined, one being taken: the write is billed to the operator, not to them.
 */
async function spentAllowance(
  services: Services,
  discordUserId: string,
  user: XUser,
  verb: 'follow' | 'unfollow',
): Promise<FollowAnswer | undefined> {
  const allowance = new WriteAllowance(services.store, services.clock, services.linked.locks, 'follow');
  if (await allowance.take(discordUserId)) return undefined;
  const when = time(Math.ceil(allowance.resetAt() / 1000), TimestampStyles.RelativeTime);
  const intent = verb === 'follow' ? followIntentUrl(user) : undefined;
  return {
    text: (t) => t('accounts:follow.allowance-spent', { count: allowance.perDay, when }),
    onX: intent
      ? { label: (t) => t('accounts:follow.follow-on-x'), url: intent }
      : { label: (t) => t('accounts:open-on-x'), url: xProfileUrl(user) },
  };
}

/**
 * Unfollows as the linked account. X has no unfollow intent, so where the plan refuses, the
 * answer links the account's profile, where the user can unfollow it.
 */
export function unfollowAccount(
  services: Services,
  discordUserId: string,
  ref: UserRef,
): Promise<FollowAnswer> {
  return withTarget(services, discordUserId, ref, 'unfollow', async ({ auth, link, user, status }) => {
    const who = xHandle(user);
    const following = status.includes('following');
    if (!following && !status.includes('follow_request_sent')) {
      return { text: (t) => t('accounts:unfollow.not-following', { who }) };
    }
    const spent = await spentAllowance(services, discordUserId, user, 'unfollow');
    if (spent) return spent;
    const result = await unlessPlanRefuses(() => services.x.unfollow(auth, link.xUserId, user.id));
    if (result === PLAN_REFUSED) {
      return {
        text: (t) =>
          following
            ? t('accounts:unfollow.plan-refuses', { who })
            : t('accounts:unfollow.plan-refuses-request', { who }),
        onX: { label: (t) => t('accounts:open-on-x'), url: xProfileUrl(user) },
      };
    }
    return {
      text: (t) =>
        following ? t('accounts:unfollow.done', { who }) : t('accounts:unfollow.withdrawn', { who }),
    };
  });
}
