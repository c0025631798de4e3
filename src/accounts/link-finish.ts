/**
 * The last steps of a link, under the user's lock: X's code exchanged and the account
 * identified, the link stored (one X account serves one Discord account), the old X grant of a
 * relink revoked, and the Linked Roles values written. And the shortcut for a Linked Roles
 * sign-in by someone already linked. Every grant made on the way that Flock does not keep is
 * revoked.
 */
import { type Clock, utcDay } from '../clock.js';
import type { DiscordTokens } from '../discord/oauth.js';
import { xHandle } from '../discord/x-text.js';
import type { Wording } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import type { OAuthClient, TokenSet, XClient, XUser } from '../x/index.js';
import type { LinkAttempt } from './link-attempts.js';
import { type FlowEnding, failureOf } from './link-outcomes.js';
import type { LinkedAccounts } from './linked-accounts.js';
import type { Link } from './links.js';
import { connectionFor, ROLE_USER_FIELDS, type RoleConnections } from './role-connections.js';

export interface FinishDeps {
  xOAuth: OAuthClient;
  x: XClient;
  linked: LinkedAccounts;
  roles: RoleConnections | undefined;
  clock: Clock;
  log: Logger;
}

export async function finishLink(
  deps: FinishDeps,
  attempt: LinkAttempt,
  owner: string,
  code: string,
  verifier: string,
  /** Edits the /link reply, in its user's language. */
  tell: (words: Wording) => Promise<void>,
): Promise<FlowEnding> {
  const { xOAuth, x, linked, roles, clock, log } = deps;
  let tokens: TokenSet;
  try {
    tokens = await xOAuth.exchangeCode(code, verifier);
  } catch (error) {
    return failureOf(error, log);
  }
  // X made a grant: from here on, any way out but a stored link revokes it.
  const drop = () =>
    linked.revoke({ discordUserId: owner, xUserId: '', username: '', name: '', linkedAt: 0, tokens });
  let me: XUser;
  try {
    me = await x.me(
      { key: `linking:${owner}`, accessToken: tokens.accessToken },
      { userFields: ROLE_USER_FIELDS },
    );
  } catch (error) {
    await drop();
    return failureOf(error, log);
  }
  const holder = await linked.links.ownerOf(me.id);
  if (holder && holder !== owner) {
    // One X account earns one Discord account its Linked Roles, and follows as one person.
    log.info('an X account already linked to someone else was offered', { owner, xUserId: me.id });
    await drop();
    return { kind: 'x-taken' };
  }
  const previous = await linked.get(owner);
  let link: Link = {
    discordUserId: owner,
    xUserId: me.id,
    username: me.username,
    name: me.name,
    linkedAt: clock.now(),
    tokens,
    discord: attempt.discord,
  };
  try {
    await linked.links.save(link);
  } catch (error) {
    await drop();
    return failureOf(error, log);
  }
  // A relink replaces the old X grant: revoke it rather than leave it alive. (The old Discord
  // tokens are the same authorization as the new ones: revoking them would end both.)
  if (previous && previous.tokens.accessToken !== tokens.accessToken) await linked.revoke(previous);
  // Moved to another X account: what was read with the old one's link goes, as at /unlink.
  if (previous && previous.xUserId !== me.id) await linked.accountGone(previous.xUserId);
  if (roles) link = await roles.publish(link, connectionFor(me));
  const withRoles = link.rolesDay !== undefined;
  log.info('X account linked', { discordUserId: owner, xUserId: me.id, roles: withRoles });
  await tell((t) => t('accounts:link.linked', { who: xHandle(me) }));
  return { kind: 'linked', username: me.username, roles: withRoles };
}

/**
 * A Linked Roles sign-in by someone already linked: keep the new Discord sign-in and write their
 * values; read their X account only when the values are not from today (a page anyone can send
 * a browser to must not cost an X read each time). Undefined when they are not linked.
 */
export async function verifyExisting(
  deps: FinishDeps,
  owner: string,
  tokens: DiscordTokens,
): Promise<FlowEnding | undefined> {
  const { x, linked, roles, clock, log } = deps;
  if (!roles) return undefined;
  const existing = await linked.get(owner);
  if (!existing) return undefined;
  let values = existing.rolesDay === utcDay(clock.now()) ? existing.rolesValues : undefined;
  if (!values) {
    try {
      values = connectionFor(await x.userById(existing.xUserId, { userFields: ROLE_USER_FIELDS }));
    } catch (error) {
      // The new sign-in is the same Discord authorization as the kept one: keep it rather than
      // revoke both.
      if (!existing.discord) await roles.revokeGrant(tokens);
      return failureOf(error, log);
    }
  }
  // The new tokens replace the kept ones (one authorization per user at Discord).
  const published = await roles.publish({ ...existing, discord: tokens }, values);
  return published.rolesDay
    ? { kind: 'verified', username: existing.username }
    : { kind: 'discord-unavailable' };
}
