/**
 * Linking an X account so that only the right person can complete it:
 *
 * 1. `/link` (or Discord's Linked Roles menu) starts an attempt. Its start URL binds the attempt
 *    to the first browser that opens it (a cookie) and sends that browser to Discord's consent page.
 * 2. Discord's callback says who holds the browser. If it is not the person who ran `/link`, the
 *    attempt is burned and that person is told. Otherwise the browser goes on to X (PKCE).
 * 3. X's callback finishes only in the same browser, for the same attempt (see link-finish.ts).
 *
 * Every state is used once; every failure ends the attempt on a page that says what to do, and
 * revokes what the attempt held.
 */
import type { Clock } from '../clock.js';
import type { DiscordOAuth, DiscordTokens } from '../discord/oauth.js';
import { translator, type Wording } from '../i18n/translate.js';
import type { Logger } from '../log.js';
import { createPkce, type OAuthClient, type XClient } from '../x/index.js';
import {
  ATTEMPT_TTL_MS,
  digest,
  type Found,
  type LinkAttempt,
  LinkAttempts,
  localeOf,
} from './link-attempts.js';
import { finishLink, verifyExisting } from './link-finish.js';
import {
  type CallbackParams,
  type FlowEnding,
  type FlowResult,
  failureOf,
  LinkingOffError,
  REPLIES,
} from './link-outcomes.js';
import type { LinkedAccounts } from './linked-accounts.js';
import type { RoleConnections } from './role-connections.js';
import { REQUESTED_SCOPES } from './scopes.js';
import { SignedStates } from './signed-state.js';

export type { CallbackParams, FlowResult } from './link-outcomes.js';

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
  /**
   * Undefined when linking is off: DISCORD_CLIENT_SECRET is not set, or PUBLIC_URL is plain http
   * on a public host (where a cookie planted from a neighbouring host could steer a link).
   */
  discord: { oauth: DiscordOAuth; roles: RoleConnections } | undefined;
  signedStates: SignedStates;
  clock: Clock;
  log: Logger;
  editReply: EditLinkReply;
  publicUrl: string;
}

export class LinkFlow {
  constructor(private readonly options: LinkFlowOptions) {}

  get enabled(): boolean {
    return this.options.discord !== undefined;
  }

  /**
   * Starts an attempt for a Discord user (retiring their older one); returns the button's URL.
   * `locale` is the interaction's: the reply's later edits and the attempt's pages speak it.
   */
  async begin(
    discordUserId: string,
    interactionToken: string,
    applicationId: string,
    locale: string,
  ): Promise<string> {
    if (!this.enabled) throw new LinkingOffError();
    const { startId, replaced } = await this.options.attempts.create({
      entry: 'command',
      owner: discordUserId,
      applicationId,
      interactionToken,
      locale,
    });
    if (replaced?.discord) await this.#discard(discordUserId, replaced.discord);
    return `${this.options.publicUrl}/link/${startId}`;
  }

  /** Retires the user's pending attempt (on /unlink: an older button must not link afterwards). */
  async cancel(discordUserId: string): Promise<void> {
    const retired = await this.options.attempts.retire(discordUserId);
    if (retired?.discord) await this.#discard(discordUserId, retired.discord);
  }

  /** The start URL: binds the attempt to this browser and sends it to sign in with Discord. */
  async open(startId: string, cookie: string | undefined): Promise<FlowResult> {
    const { discord, attempts, linked } = this.options;
    if (!discord) return { kind: 'not-configured' };
    const found = await attempts.find(startId);
    if (found.kind !== 'ok') return this.#notUsable(found);
    const owner = found.attempt.owner;
    if (!owner) return { kind: 'unknown' };
    const browser = cookie ?? LinkAttempts.newBrowserSecret();
    // Under the owner's lock, so two browsers opening the link at once cannot both bind it.
    return linked.locks.run(owner, async () => {
      const again = await attempts.find(startId);
      if (again.kind !== 'ok') return this.#notUsable(again);
      const { attempt } = again;
      if (attempt.browser && attempt.browser !== digest(browser)) return { kind: 'other-browser' };
      const state = await attempts.newState({ ...attempt, browser: digest(browser) }, 'discord');
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
    const { discord, attempts, linked, log } = this.options;
    if (!discord) return { kind: 'not-configured' };
    if (!params.state || (!params.code && !params.error)) return { kind: 'missing' };

    let attempt: LinkAttempt | undefined;
    if (SignedStates.owns(params.state)) {
      const claims = this.options.signedStates.verify(params.state);
      if (!claims) return { kind: 'unknown' };
      if (this.options.clock.now() - claims.createdAt > ATTEMPT_TTL_MS) return { kind: 'expired' };
      if (!cookie || digest(cookie) !== claims.browserHash) return { kind: 'other-browser' };
      // Stateless until here, so it is used up here: a replay must not reach Discord again.
      if (!(await attempts.useSignedState(params.state))) return { kind: 'unknown' };
      if (params.error) return { kind: 'denied' };
    } else {
      const found = await attempts.takeState(params.state, 'discord');
      if (found.kind !== 'ok') return this.#notUsable(found);
      attempt = found.attempt;
      if (!cookie || digest(cookie) !== attempt.browser) return this.#end(attempt, { kind: 'other-browser' });
      if (params.error) return this.#end(attempt, { kind: 'denied' });
    }

    let tokens: DiscordTokens;
    let identity: { id: string };
    try {
      tokens = await discord.oauth.exchangeCode(params.code ?? '');
    } catch (error) {
      return this.#end(attempt, failureOf(error, log));
    }
    try {
      identity = await discord.oauth.me(tokens.accessToken);
    } catch (error) {
      await this.#discard(undefined, tokens);
      return this.#end(attempt, failureOf(error, log));
    }

    if (attempt && identity.id !== attempt.owner) {
      log.warn('a link was opened by another Discord user; attempt burned', {
        owner: attempt.owner,
        signedIn: identity.id,
      });
      await this.#discard(identity.id, tokens);
      return this.#end(attempt, { kind: 'wrong-user' });
    }
    const owner = identity.id;
    return linked.locks.run(owner, async () => {
      let current: LinkAttempt;
      if (attempt) {
        // Discord took a while: the attempt may have been retired (a new /link, an /unlink) meanwhile.
        const again = await attempts.reload(attempt);
        if (again.kind !== 'ok') {
          await this.#discard(owner, tokens);
          return this.#notUsable(again);
        }
        current = again.attempt;
      } else {
        // Someone already linked only needs their values written: no attempt, no trip to X.
        const verified = await verifyExisting(this.#deps(discord), owner, tokens);
        if (verified) return verified;
        const created = await attempts.create({
          entry: 'linked-roles',
          owner,
          applicationId: undefined,
          interactionToken: undefined,
          locale: undefined,
        });
        if (created.replaced?.discord) await this.#discard(owner, created.replaced.discord);
        current = { ...created.attempt, browser: digest(cookie ?? '') };
      }
      const { verifier, challenge } = createPkce();
      const state = await attempts.newState({ ...current, discord: tokens, verifier }, 'x');
      // Blocks and mutes too, so that /blocks, /mutes and /mute work without a second consent.
      const url = this.options.xOAuth.authorizeUrl(state, challenge, REQUESTED_SCOPES);
      return { kind: 'redirect', url };
    });
  }

  async xCallback(params: CallbackParams, cookie: string | undefined): Promise<FlowResult> {
    const { attempts, linked, discord } = this.options;
    if (!params.state || (!params.code && !params.error)) return { kind: 'missing' };
    const found = await attempts.takeState(params.state, 'x');
    if (found.kind !== 'ok') return this.#notUsable(found);
    const { attempt } = found;
    // An X code that arrives in another browser (a forwarded consent link, an injected code) is
    // never exchanged, so no grant is made at X for it.
    if (!cookie || digest(cookie) !== attempt.browser) return this.#end(attempt, { kind: 'other-browser' });
    const { owner, verifier } = attempt;
    if (params.error || !params.code || !owner || !verifier) return this.#end(attempt, { kind: 'denied' });
    const code = params.code;
    const result = await linked.locks.run(owner, () =>
      finishLink(this.#deps(discord), attempt, owner, code, verifier, (words) => this.#tell(attempt, words)),
    );
    return this.#end(attempt, result);
  }

  #deps(discord: LinkFlowOptions['discord']) {
    const { xOAuth, x, linked, clock, log } = this.options;
    return { xOAuth, x, linked, roles: discord?.roles, clock, log };
  }

  /** An attempt that cannot go on: an expired one still holds tokens to revoke. */
  async #notUsable(found: Exclude<Found, { kind: 'ok' }>): Promise<FlowEnding> {
    if (found.kind === 'expired' && found.attempt) return this.#end(found.attempt, { kind: 'expired' });
    return { kind: found.kind };
  }

  /**
   * Ends the attempt (when there is one) with this outcome: burns it, tells the /link reply
   * where there is something to say, and revokes a Discord sign-in it held but did not use. The
   * page is in the attempt's language, unless it is shown to someone who may not be its person.
   */
  async #end(attempt: LinkAttempt | undefined, result: FlowEnding): Promise<FlowEnding> {
    if (!attempt) return result;
    await this.options.attempts.burn(attempt);
    const reply = REPLIES[result.kind];
    if (reply) await this.#tell(attempt, reply);
    if (result.kind !== 'linked' && result.kind !== 'verified' && attempt.discord)
      await this.#discard(attempt.owner, attempt.discord);
    // Another Discord user, or another browser: the owner's language says nothing about who reads it.
    const stranger = result.kind === 'wrong-user' || result.kind === 'other-browser';
    return stranger ? result : { ...result, locale: localeOf(attempt) };
  }

  async #tell(attempt: LinkAttempt, words: Wording): Promise<void> {
    if (!attempt.applicationId || !attempt.interactionToken) return;
    const content = words(translator(localeOf(attempt)));
    await this.options
      .editReply(attempt.applicationId, attempt.interactionToken, content)
      .catch((error: unknown) => this.options.log.warn('could not edit the /link reply', { error }));
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
}
