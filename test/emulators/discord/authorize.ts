/**
 * Discord's consent page at /oauth2/authorize, acting for whoever is signed in to the emulator in
 * that browser (a session cookie set by /emulator/sign-in). It refuses a bad request with an
 * error page, never a redirect, as Discord does: a redirect would hand the error to a site that
 * may not be the app's.
 */
import { consentPage, messagePage, signInPage } from './consent-page.js';
import type { DiscordUser } from './guilds.js';
import { type Answer, type DiscordOAuth, type OAuthHost, type OAuthRequest, randomToken } from './oauth.js';

type Params = Record<string, string | undefined>;

const SESSION_COOKIE = 'discord_emulator_session';
const DENIED = 'The resource owner or authorization server denied the request';
const KNOWN_SCOPES = new Set(
  [
    'activities.read activities.write applications.builds.read applications.builds.upload',
    'applications.commands applications.commands.permissions.update applications.entitlements',
    'applications.store.update bot connections dm_channels.read email gdm.join guilds guilds.join',
    'guilds.members.read identify messages.read relationships.read role_connections.write rpc',
    'rpc.activities.write rpc.notifications.read rpc.voice.read rpc.voice.write voice webhook.incoming',
  ]
    .join(' ')
    .split(' '),
);
/** Scopes that install something into a server: flows the emulator does not offer. */
const INSTALL_SCOPES = new Set(['bot', 'webhook.incoming', 'applications.commands']);

const html = (status: number, body: string): Answer => ({ status, body });
const scopesOf = (scope: string | undefined) => [...new Set((scope ?? '').split(' ').filter(Boolean))];

export class ConsentFlow {
  readonly #sessions = new Map<string, { userId: string; csrf: string }>();

  constructor(
    private readonly host: OAuthHost,
    private readonly oauth: DiscordOAuth,
  ) {}

  /** The answer for the consent page or the sign-in route, or undefined for other requests. */
  route(req: OAuthRequest): Answer | undefined {
    const path = req.url.pathname;
    if (path === '/oauth2/authorize' && (req.method === 'GET' || req.method === 'POST')) {
      return this.#authorize(req);
    }
    if (path === '/emulator/sign-in' && req.method === 'GET') return this.#signIn(req);
    return undefined;
  }

  /** Decides a consent URL as `user` would on the page; returns where Discord redirects. */
  approve(authorizeUrl: string, user: DiscordUser, decision: 'approve' | 'deny' = 'approve'): string {
    const params: Params = Object.fromEntries(new URL(authorizeUrl).searchParams);
    const problem = this.#validate(params);
    if (problem) throw new Error(problem);
    if (user.bot || !this.host.users.has(user.id)) throw new Error(`${user.username} cannot sign in`);
    return this.#decide(params, user.id, decision);
  }

  #validate(params: Params): string | undefined {
    if (params.client_id !== this.host.applicationId) return 'Unknown Application (client_id).';
    if (!params.redirect_uri || !this.host.redirectUris.includes(params.redirect_uri)) {
      return 'Invalid OAuth2 redirect_uri';
    }
    if (params.response_type !== 'code') {
      return `Unsupported response_type "${params.response_type ?? ''}": the emulator offers the code grant.`;
    }
    const scopes = scopesOf(params.scope);
    if (!scopes.length) return 'No scopes were provided.';
    const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s));
    if (unknown) return `Invalid scope: ${unknown}`;
    const install = scopes.find((s) => INSTALL_SCOPES.has(s));
    if (install) return `The emulator does not offer the ${install} install flow.`;
    return undefined;
  }

  #decide(params: Params, userId: string, decision: 'approve' | 'deny'): string {
    const target = new URL(params.redirect_uri ?? '');
    if (decision === 'approve') {
      target.searchParams.set(
        'code',
        this.oauth.issueCode(userId, scopesOf(params.scope), params.redirect_uri ?? ''),
      );
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', DENIED);
    }
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    return target.toString();
  }

  #authorize(req: OAuthRequest): Answer {
    const post = req.method === 'POST';
    const params: Params = Object.fromEntries(post ? req.form : req.url.searchParams);
    const problem = this.#validate(params);
    if (problem) return html(400, messagePage('Something went wrong', problem));
    const session = this.#session(req.headers.cookie);
    const user = session && this.host.users.get(session.userId);
    if (!post) {
      if (!session || !user) return html(200, signInPage(this.#people(), req.url.pathname + req.url.search));
      const scopes = scopesOf(params.scope);
      // prompt=none skips the page only for scopes this user already approved for the app.
      if (params.prompt === 'none' && this.oauth.hasAuthorized(user.id, scopes)) {
        return { status: 302, headers: { location: this.#decide(params, user.id, 'approve') } };
      }
      const appName = this.host.bot.username;
      return html(200, consentPage({ appName, user, scopes, params, csrf: session.csrf }));
    }
    if (!session || !user) return html(401, messagePage('Not signed in', 'Sign in to the emulator first.'));
    // The decision must come from the page shown to this session, not from another site's form.
    if (params.csrf !== session.csrf) {
      return html(403, messagePage('Refused', 'The form token is missing or stale.'));
    }
    if (params.decision !== 'approve' && params.decision !== 'deny') {
      return html(400, messagePage('Something went wrong', 'decision must be approve or deny.'));
    }
    return { status: 302, headers: { location: this.#decide(params, user.id, params.decision) } };
  }

  #people(): DiscordUser[] {
    return [...this.host.users.values()].filter((u) => !u.bot);
  }

  #session(cookie: string | undefined) {
    const id = (cookie ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .find(([name]) => name === SESSION_COOKIE)?.[1];
    return id ? this.#sessions.get(id) : undefined;
  }

  #signIn(req: OAuthRequest): Answer {
    const next = req.url.searchParams.get('next') ?? undefined;
    const userId = req.url.searchParams.get('user');
    if (!userId) return html(200, signInPage(this.#people(), next));
    const user = this.#people().find((u) => u.id === userId);
    if (!user)
      return html(400, messagePage('Something went wrong', 'There is no such user in the emulator.'));
    let location: string | undefined;
    if (next !== undefined) {
      // Only back to a page of the emulator itself, under whichever host name the browser used.
      const origins = new Set([new URL(this.host.url).origin]);
      if (req.headers.host) origins.add(`http://${req.headers.host}`);
      const target = URL.canParse(next, this.host.url) ? new URL(next, this.host.url) : undefined;
      if (!target || !origins.has(target.origin)) {
        return html(400, messagePage('Something went wrong', 'next must be a page of the emulator.'));
      }
      location = target.pathname + target.search;
    }
    const id = randomToken(40);
    this.#sessions.set(id, { userId: user.id, csrf: randomToken(24) });
    const cookie = `${SESSION_COOKIE}=${id}; HttpOnly; Path=/; SameSite=Lax`;
    if (location) return { status: 302, headers: { location, 'set-cookie': cookie } };
    return {
      status: 200,
      body: messagePage('Signed in', `Signed in as ${user.username}.`),
      headers: { 'set-cookie': cookie },
    };
  }
}
