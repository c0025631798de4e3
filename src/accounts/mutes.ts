/**
 * Muting and unmuting on X as a linked Discord user, the way /follow works: the target is read
 * first with the user's token and its connection_status, so muting an account already muted (or
 * unmuting one that is not) costs that read and no write, and the answer says so. Where the X
 * plan refuses the write, the answer links the account on X, where the user can do it there.
 * Blocking has no command: X keeps block writes to Enterprise plans.
 */
import { TimestampStyles, time } from 'discord.js';
import { explainXErrors, refLabel } from '../discord/x-error-text.js';
import { xHandle, xProfileUrl } from '../discord/x-text.js';
import type { Services } from '../services.js';
import { UserError } from '../user-error.js';
import { type UserAuth, type UserRef, XForbiddenError, type XUser } from '../x/index.js';
import { type FollowAnswer, PLAN_REFUSED, unlessPlanRefuses } from './follows.js';
import { NotLinkedError } from './linked-accounts.js';
import type { Link } from './links.js';
import { assertGrants, RelinkNeededError } from './scopes.js';
import { WriteAllowance } from './write-allowance.js';

export type MuteVerb = 'mute' | 'unmute';

const TARGET_FIELDS = ['connection_status'] as const;

export class SelfMuteError extends UserError {
  constructor(verb: MuteVerb) {
    super((t) => (verb === 'mute' ? t('moderation:mute.self') : t('moderation:unmute.self')));
  }
}

/**
 * Refuses, before any request to X, a user with no link, a reference to their own account, or a
 * link made before Flock asked X for mute.write (RelinkNeededError).
 */
export async function assertCanMute(
  services: Services,
  discordUserId: string,
  ref: UserRef,
  verb: MuteVerb,
): Promise<void> {
  const link = await services.linked.get(discordUserId);
  if (!link) throw new NotLinkedError();
  const self =
    ref.kind === 'id' ? ref.id === link.xUserId : ref.username.toLowerCase() === link.username.toLowerCase();
  if (self) throw new SelfMuteError(verb);
  assertGrants(link, 'mute-write');
}

interface Target {
  auth: UserAuth;
  link: Link;
  user: XUser;
  /** How the linked account relates to the target now (X's connection_status). */
  status: string[];
}

/**
 * Runs `act` as the linked account against the target, read first with the user's token. X's
 * errors become plain words naming the account; X refusing the token (403, not the plan) means
 * the grant lacks a scope, so the user is asked to relink.
 */
async function withTarget(
  services: Services,
  discordUserId: string,
  ref: UserRef,
  verb: MuteVerb,
  act: (target: Target) => Promise<FollowAnswer>,
): Promise<FollowAnswer> {
  try {
    return await explainXErrors(refLabel(ref), () =>
      services.linked.withAuth(discordUserId, async (auth, link) => {
        // The link may have been replaced since assertCanMute read it.
        assertGrants(link, 'mute-write');
        const options = { auth, userFields: TARGET_FIELDS };
        const user =
          ref.kind === 'id'
            ? await services.x.userById(ref.id, options)
            : await services.x.userByUsername(ref.username, options);
        if (user.id === link.xUserId) throw new SelfMuteError(verb);
        return act({ auth, link, user, status: user.connection_status ?? [] });
      }),
    );
  } catch (error) {
    if (error instanceof XForbiddenError) throw new RelinkNeededError('mute-write', { cause: error });
    throw error;
  }
}

const onX = (user: XUser): NonNullable<FollowAnswer['onX']> => ({
  label: (t) => t('accounts:open-on-x'),
  url: xProfileUrl(user),
});

/** The answer when the person has used up today's mute writes, else undefined (and one is taken). */
async function spentAllowance(
  services: Services,
  discordUserId: string,
  user: XUser,
): Promise<FollowAnswer | undefined> {
  const allowance = new WriteAllowance(services.store, services.clock, services.linked.locks, 'mute');
  if (await allowance.take(discordUserId)) return undefined;
  const when = time(Math.ceil(allowance.resetAt() / 1000), TimestampStyles.RelativeTime);
  return {
    text: (t) => t('moderation:mute.allowance-spent', { count: allowance.perDay, when }),
    onX: onX(user),
  };
}

/** Mutes as the linked account; an account already muted costs the read and no write. */
export function muteAccount(services: Services, discordUserId: string, ref: UserRef): Promise<FollowAnswer> {
  return withTarget(services, discordUserId, ref, 'mute', async ({ auth, user, status }) => {
    const who = xHandle(user);
    if (status.includes('muting')) return { text: (t) => t('moderation:mute.already', { who }) };
    const spent = await spentAllowance(services, discordUserId, user);
    if (spent) return spent;
    const result = await unlessPlanRefuses(() => services.x.mute(auth, user.id));
    if (result === PLAN_REFUSED)
      return { text: (t) => t('moderation:mute.plan-refuses', { who }), onX: onX(user) };
    return { text: (t) => t('moderation:mute.done', { who }) };
  });
}

/** Unmutes as the linked account; an account not muted costs the read and no write. */
export function unmuteAccount(
  services: Services,
  discordUserId: string,
  ref: UserRef,
): Promise<FollowAnswer> {
  return withTarget(services, discordUserId, ref, 'unmute', async ({ auth, user, status }) => {
    const who = xHandle(user);
    if (!status.includes('muting')) return { text: (t) => t('moderation:unmute.not-muted', { who }) };
    const spent = await spentAllowance(services, discordUserId, user);
    if (spent) return spent;
    const result = await unlessPlanRefuses(() => services.x.unmute(auth, user.id));
    if (result === PLAN_REFUSED)
      return { text: (t) => t('moderation:unmute.plan-refuses', { who }), onX: onX(user) };
    return { text: (t) => t('moderation:unmute.done', { who }) };
  });
}
