/** Plain-HTTP clients for the Discord emulator's OAuth2 and Linked Roles routes, for its own tests. */
import { expect } from 'vitest';
import type { DiscordUser } from './discord/guilds.js';
import type { DiscordEmulator } from './discord/server.js';

/** Flock's web server as Discord knows it; never contacted, since redirects are only read. */
export const PUBLIC_URL = 'http://127.0.0.1:9';
export const CALLBACK = `${PUBLIC_URL}/oauth/discord/callback`;
export const OTHER_CALLBACK = `${PUBLIC_URL}/other/callback`;
export const SCOPES = 'identify role_connections.write';

type Body = Record<string, unknown>;

export const unescapeHtml = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
  );

export function oauthClient(discord: DiscordEmulator) {
  const basic = () =>
    `Basic ${Buffer.from(`${discord.applicationId}:${discord.clientSecret}`).toString('base64')}`;

  /** A consent URL as Flock builds it; `undefined` leaves a parameter out. */
  const consentUrl = (overrides: Record<string, string | undefined> = {}): string => {
    const url = new URL(discord.authorizeUrl);
    const params = {
      response_type: 'code',
      client_id: discord.applicationId,
      scope: SCOPES,
      state: 'state-1',
      redirect_uri: CALLBACK,
      prompt: 'consent',
      ...overrides,
    };
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(name, value);
    return url.toString();
  };

  /** POSTs a form to the API, with Basic client authentication unless `authorization` is null. */
  const postForm = async (
    path: string,
    fields: Record<string, string>,
    authorization: string | null = basic(),
  ) => {
    const response = await fetch(`${discord.apiUrl}/v10${path}`, {
      method: 'POST',
      headers: authorization ? { authorization } : {},
      body: new URLSearchParams(fields),
    });
    return { status: response.status, body: (await response.json()) as Body };
  };

  /** A JSON API call with `Authorization: <scheme> <token>`. */
  const api = async (method: string, path: string, token?: string, body?: unknown, scheme = 'Bearer') => {
    const headers: Record<string, string> = token ? { authorization: `${scheme} ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${discord.apiUrl}/v10${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body | undefined };
  };

  /** A browser's request: redirects are not followed, so they can be read. */
  const browse = async (url: string, cookie?: string, init: { method?: string; form?: Body } = {}) => {
    const response = await fetch(url, {
      redirect: 'manual',
      method: init.method ?? 'GET',
      headers: cookie ? { cookie } : {},
      ...(init.form ? { body: new URLSearchParams(init.form as Record<string, string>) } : {}),
    });
    return {
      status: response.status,
      location: response.headers.get('location'),
      setCookie: response.headers.get('set-cookie'),
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  const codeFrom = (location: string | null) => new URL(location ?? '').searchParams.get('code') ?? '';

  const exchange = (code: string, redirectUri = CALLBACK, authorization: string | null = basic()) =>
    postForm(
      '/oauth2/token',
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
      authorization,
    );

  return {
    basic,
    consentUrl,
    postForm,
    api,
    browse,
    codeFrom,
    exchange,

    /** Signs a browser in to the emulator as `user`; returns its cookie header. */
    async signIn(user: DiscordUser): Promise<string> {
      const answer = await browse(`${discord.url}/emulator/sign-in?user=${user.id}&next=/`);
      expect(answer.status).toBe(302);
      return answer.setCookie?.split(';')[0] ?? '';
    },

    /** Loads the consent page as the signed-in browser and presses a button on it. */
    async decide(url: string, cookie: string, decision: 'approve' | 'deny', drop: string[] = []) {
      const page = await browse(url, cookie);
      const fields = Object.fromEntries(
        [...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
          .filter((m) => !drop.includes(m[1] ?? ''))
          .map((m) => [m[1], unescapeHtml(m[2] ?? '')]),
      );
      return browse(`${discord.url}/oauth2/authorize`, cookie, {
        method: 'POST',
        form: { ...fields, decision },
      });
    },

    /** Approves without a browser and exchanges the code: a user's fresh tokens. */
    async link(user: DiscordUser, scope = SCOPES) {
      const { status, body } = await exchange(codeFrom(discord.approve(consentUrl({ scope }), user)));
      expect(status).toBe(200);
      return body as { access_token: string; refresh_token: string; scope: string };
    },
  };
}
