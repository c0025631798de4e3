/**
 * Linking an X account so that only the right person can complete it:
 *
 * 1. `/link` (or Discord's Linked Roles menu) starts an attempt. Its start URL binds the attempt
 *    to the first browser that opens it (a cookie) and sends that browser to Discord's consent page.
 * 2. Discord's callback says who holds the browser. If it is not the person who ran `/link`, the
 *    attempt is burned and that person is told. Otherwise the browser goes on to X (PKCE).
 * 3. X's callback finishes only in the same browser, for the same attempt: the code is exchanged,
 *    the account identified, the tokens sealed and stored, the Linked Roles values written, and
 *    the `/link` reply edited.
 *
 * Every state is used once; every failure ends the attempt on a page that says what to do.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { type DiscordOAuth, DiscordOAuthError, type DiscordTokens } from '../discord/oauth.js';
import { xHandle } from '../discord/x-text.js';
import type { Logger } from '../log.js';
import { UserError } from '../user-error.js';
import { createPkce, type OAuthClient, type XClient, XError, XUnauthorizedError } from '../x/index.js';
import { ATTEMPT_TTL_MS, digest, type LinkAttempt, LinkAttempts } from './link-attempts.js';
import type { LinkedAccounts } from './linked-accounts.js';
import type { Link } from './links.js';
import { ROLE_USER_FIELDS, type RoleConnections } from './role-connections.js';
import { SignedStates } from './signed-state.js';

export type FlowResult =
  | { kind: 'redirect'; url: string; cookie?: string }
  | { kind: 'linked'; username: string; roles: boolean }
  | { kind: 'verified'; username: string }
  | {
      kind:
        | 'denied'
        | 'missing'
        | 'unknown'
        | 'expired'
        | 'other-browser'
        | 'wrong-user'
        | 'refused'
        | 'unavailable'
        | 'discord-refused'
        | 'discord-unavailable'
        | 'not-configured';
    };

export interface CallbackParams {
  code: string | null;
  state: string | null;
  error: string | null;
}

/** Edits the ephemeral /link reply (the interaction token is good for 15 minutes). */
export type EditLinkReply = (
  applicationId: string,
  interactionToken: string,
  content: string,
) => Promise<void>;

export interface LinkFlowOptions {
  attempts: LinkAttempts;
  linked: LinkedAccounts;
  xOAuth: OAuthClient;
  x: XClient;
  /** Undefined when DISCORD_CLIENT_SECRET is not set: then nobody can link. */
  discord: { oauth: DiscordOAuth; roles: RoleConnections } | undefined;
  signedStates: SignedStates;
  clock: Clock;
  log: Logger;
  editReply: EditLinkReply;
  publicUrl: string;
}

export class LinkingOffError extends UserError {
  constructor() {
    super(
      "Linking isn't set up on this bot yet: its operator needs to add the Discord application's client secret (DISCORD_CLIENT_SECRET).",
    );
  }
}

/** What the /link reply says when the attempt ends some other way than linked. */
const REPLIES = {
  denied: 'Linking was cancelled, so nothing changed. Run `/link` to try again.',
  'wrong-user':
    'Someone else opened your link button and signed in with another Discord account, so I cancelled it and nothing was linked. Run `/link` again and keep the button to yourself.',
} as const;

export class LinkFlow {
  constructor(private readonly options: LinkFlowOptions) {}

  /** Whether linking is configured at all (it needs the Discord application's client secret). */
  get enabled(): boolean {
    return this.options.discord !== undefined;
  }

  /** Starts an attempt for a Discord user; returns the URL their link button opens. */
  async begin(discordUserId: string, interactionToken: string, applicationId: string): Promise<string> {
    if (!this.enabled) throw new LinkingOffError();
    const { startId } = await this.options.attempts.create({
      entry: 'command',
      owner: discordUserId,
      applicationId,
      interactionToken,
    });
    return `${this.options.publicUrl}/link/${startId}`;
  }

  /** The start URL: binds the attempt to this browser and sends it to sign in with Discord. */
  async open(startId: string, cookie: string | undefined): Promise<FlowResult> {
    const { discord, attempts, linked } = this.options;
    if (!discord) return { kind: 'not-configured' };
    const found = await attempts.find(startId);
    if (found.kind !== 'ok') return found;
    const owner = found.attempt.owner ?? '';
    const browser = cookie ?? LinkAttempts.newBrowserSecret();
    // Under the owner's lock, so two browsers opening the link at once cannot both bind it.
    return linked.locks.run(owner, async () => {
      const again = await attempts.find(startId);
      if (again.kind !== 'ok') return again;
      const { attempt } = again;
      if (attempt.browser && attempt.browser !== digest(browser)) return { kind: 'other-browser' };
      if (!attempt.browser) await attempts.save({ ...attempt, browser: digest(browser) });
      const state = await attempts.newState(attempt, 'discord');
      return { kind: 'redirect', url: discord.oauth.authorizeUrl(state), cookie: browser };
    });
  }

  /** Discord's Linked Roles verification URL: nothing is stored until Discord says who this is. */
  openLinkedRoles(cookie: string | undefined): FlowResult {
    const { discord, signedStates, clock } = this.options;
    if (!discord) return { kind: 'not-configured' };
    const browser = cookie ?? LinkAttempts.newBrowserSecret();
    const state = signedStates.sign(digest(browser), clock.now());
    return { kind: 'redirect', url: discord.oauth.authorizeUrl(state), cookie: browser };
  }

  async discordCallback(params: CallbackParams, cookie: string | undefined): Promise<FlowResult> {
    const { discord, attempts, log } = this.options;
    if (!discord) return { kind: 'not-configured' };
    if (!params.state || (!params.code && !params.error)) return { kind: 'missing' };

    let attempt: LinkAttempt | undefined;
    if (SignedStates.owns(params.state)) {
      const claims = this.options.signedStates.verify(params.state);
      if (!claims) return { kind: 'unknown' };
      if (this.options.clock.now() - claims.createdAt > ATTEMPT_TTL_MS) return { kind: 'expired' };
      if (!cookie || digest(cookie) !== claims.browserHash) return { kind: 'other-browser' };
      if (params.error) return { kind: 'denied' };
    } else {
      const found = await attempts.takeState(params.state, 'discord');
      if (found.kind !== 'ok') return found;
      attempt = found.attempt;
      if (!cookie || digest(cookie) !== attempt.browser) return this.#end(attempt, { kind: 'other-browser' });
      if (params.error) return this.#end(attempt, { kind: 'denied' });
    }

    let tokens: DiscordTokens;
    let identity: { id: string; username: string };
    try {
      tokens = await discord.oauth.exchangeCode(params.code ?? '');
    } catch (error) {
      return attempt ? this.#end(attempt, this.#failure(error)) : this.#failure(error);
    }
    try {
      identity = await discord.oauth.me(tokens.accessToken);
    } catch (error) {
      await this.#discard(undefined, tokens);
      return attempt ? this.#end(attempt, this.#failure(error)) : this.#failure(error);
    }

    if (attempt?.owner !== undefined && identity.id !== attempt.owner) {
      log.warn('a link was opened by another Discord user; attempt burned', {
        owner: attempt.owner,
        signedIn: identity.id,
      });
      await this.#discard(identity.id, tokens);
      return this.#end(attempt, { kind: 'wrong-user' });
    }
    if (!attempt) {
      ({ attempt } = await attempts.create({
        entry: 'linked-roles',
        owner: identity.id,
        applicationId: undefined,
        interactionToken: undefined,
      }));
      attempt.browser = digest(cookie ?? '');
    }
    if (attempt.entry === 'linked-roles') {
      const verified = await this.#verifyExisting(attempt, identity.id, tokens);
      if (verified) return verified;
    }
    const { verifier, challenge } = createPkce();
    await attempts.save({ ...attempt, discord: tokens, verifier });
    const state = await attempts.newState(attempt, 'x');
    return { kind: 'redirect', url: this.options.xOAuth.authorizeUrl(state, challenge) };
  }

  async xCallback(params: CallbackParams, cookie: string | undefined): Promise<FlowResult> {
    const { attempts, linked } = this.options;
    if (!params.state || (!params.code && !params.error)) return { kind: 'missing' };
    const found = await attempts.takeState(params.state, 'x');
    if (found.kind !== 'ok') return found;
    const { attempt } = found;
    // An X code that arrives in another browser (a forwarded consent link, an injected code) is
    // never exchanged, so no grant is made at X for it.
    if (!cookie || digest(cookie) !== attempt.browser) return this.#end(attempt, { kind: 'other-browser' });
    if (params.error || !params.code || !attempt.owner || !attempt.verifier)
      return this.#end(attempt, { kind: 'denied' });
    const owner = attempt.owner;
    const code = params.code;
    const verifier = attempt.verifier;
    const result = await linked.locks.run(owner, () => this.#finish(attempt, owner, code, verifier));
    return this.#end(attempt, result);
  }

  /** Exchanges X's code and stores the link; runs under the user's lock. */
  async #finish(attempt: LinkAttempt, owner: string, code: string, verifier: string): Promise<FlowResult> {
    const { xOAuth, x, linked, discord, clock, log } = this.options;
    let tokens: Awaited<ReturnType<OAuthClient['exchangeCode']>>;
    try {
      tokens = await xOAuth.exchangeCode(code, verifier);
    } catch (error) {
      return this.#failure(error);
    }
    let me: Awaited<ReturnType<XClient['me']>>;
    try {
      me = await x.me(
        { key: `linking:${owner}`, accessToken: tokens.accessToken },
        { userFields: ROLE_USER_FIELDS },
      );
    } catch (error) {
      // X made a grant Flock will not keep: revoke it rather than leave it alive.
      await linked.revoke({ discordUserId: owner, xUserId: '', username: '', name: '', linkedAt: 0, tokens });
      return this.#failure(error);
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
      rolesDay: undefined,
    };
    await linked.links.save(link);
    // A relink replaces the old X grant: revoke it rather than leave it alive. (The old Discord
    // tokens are the same authorization as the new ones: revoking them would end both.)
    if (previous) void linked.revoke(previous);
    if (discord) link = await discord.roles.publish(link, me);
    log.info('X account linked', {
      discordUserId: owner,
      xUserId: me.id,
      roles: link.rolesDay !== undefined,
    });
    await this.#tell(attempt, `Linked as **${xHandle(me)}**. You can now use \`/follow\` and \`/unfollow\`.`);
    return { kind: 'linked', username: me.username, roles: link.rolesDay !== undefined };
  }

  /**
   * A Linked Roles sign-in by someone already linked: keep the new Discord grant and write their
   * values from their X account as it is now; no trip to X needed.
   */
  async #verifyExisting(
    attempt: LinkAttempt,
    owner: string,
    tokens: DiscordTokens,
  ): Promise<FlowResult | undefined> {
    const { linked, x, discord } = this.options;
    if (!discord) return undefined;
    return linked.locks.run(owner, async () => {
      const existing = await linked.get(owner);
      if (!existing) return undefined;
      let user: Awaited<ReturnType<XClient['userById']>>;
      try {
        user = await x.userById(existing.xUserId, { userFields: ROLE_USER_FIELDS });
      } catch (error) {
        await this.#discard(owner, tokens);
        return this.#end(attempt, this.#failure(error));
      }
      // The new tokens replace the kept ones (one authorization per user at Discord).
      const link = { ...existing, discord: tokens, rolesDay: undefined };
      await linked.links.save(link);
      const published = await discord.roles.publish(link, user);
      await this.options.attempts.burn(attempt);
      return published.rolesDay
        ? { kind: 'verified', username: user.username }
        : { kind: 'discord-unavailable' };
    });
  }

  /** Ends the attempt with this outcome, telling the /link reply where there is something to say. */
  async #end(attempt: LinkAttempt, result: FlowResult): Promise<FlowResult> {
    await this.options.attempts.burn(attempt);
    if (result.kind === 'denied' || result.kind === 'wrong-user')
      await this.#tell(attempt, REPLIES[result.kind]);
    if (result.kind !== 'linked' && attempt.discord) await this.#discard(attempt.owner, attempt.discord);
    return result;
  }

  /**
   * Revokes Discord tokens Flock will not keep. Discord keeps one authorization per user and app,
   * and revoking any of its tokens ends all of them: so tokens of a user whose link already keeps
   * a Discord sign-in are left to expire rather than end that sign-in too.
   */
  async #discard(discordUserId: string | undefined, tokens: DiscordTokens): Promise<void> {
    const kept = discordUserId ? (await this.options.linked.get(discordUserId))?.discord : undefined;
    if (!kept) await this.options.discord?.roles.revokeGrant(tokens);
  }

  async #tell(attempt: LinkAttempt, content: string): Promise<void> {
    if (!attempt.applicationId || !attempt.interactionToken) return;
    await this.options
      .editReply(attempt.applicationId, attempt.interactionToken, content)
      .catch((error: unknown) => this.options.log.warn('could not edit the /link reply', { error }));
  }

  #failure(error: unknown): FlowResult {
    const { log } = this.options;
    if (error instanceof DiscordOAuthError) {
      if (error.kind === 'invalid-grant') {
        log.info('Discord refused a sign-in code', { error });
        return { kind: 'discord-refused' };
      }
      // A refused client secret is the operator's to fix: say so in the log, loudly.
      log[error.kind === 'invalid-client' ? 'error' : 'warn']('signing in with Discord failed', { error });
      return { kind: 'discord-unavailable' };
    }
    if (
      error instanceof XUnauthorizedError ||
      (error instanceof XError && error.kind === 'invalid-request')
    ) {
      log.info('X refused a sign-in code', { error });
      return { kind: 'refused' };
    }
    log.warn('linking failed', { error });
    return { kind: 'unavailable' };
  }
}

/** The S256 challenge of a verifier, for tests that play X. */
export const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
