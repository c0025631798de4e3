/**
 * A browser without the browser: fetch with a cookie jar per origin and redirects left to the
 * caller, so a test can stop at each hop of the link flow and look at it, or replay one from
 * another "browser" (another WebClient) that does not hold the cookies.
 */
export interface Visit {
  status: number;
  /** The page's <h1>, HTML entities left as they are. */
  title: string | undefined;
  html: string;
  location: string | undefined;
  headers: Headers;
}

export class WebClient {
  readonly #jar = new Map<string, Map<string, string>>();

  /** One request; Set-Cookie answers are kept for the origin that sent them. */
  async visit(url: string, init: RequestInit = {}): Promise<Visit> {
    const origin = new URL(url).origin;
    const cookies = this.#jar.get(origin);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        ...(cookies?.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const jar = this.#jar.get(origin) ?? new Map<string, string>();
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      this.#jar.set(origin, jar);
    }
    const html = init.method === 'HEAD' ? '' : await res.text();
    return {
      status: res.status,
      title: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
      html,
      location: res.headers.get('location') ?? undefined,
      headers: res.headers,
    };
  }
}
