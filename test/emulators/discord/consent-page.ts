/**
 * The emulated Discord pages a browser sees: who is signing in, what the app asks for, and
 * Authorize / Cancel buttons that post back to /oauth2/authorize.
 */
import type { DiscordUser } from './guilds.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Discord's wording on its consent page, where it has one. */
const SCOPE_TEXT: Record<string, string> = {
  identify: 'Access your username, avatar, and banner',
  email: 'Access your email address',
  connections: 'Access your third-party connections',
  guilds: 'Know what servers you’re in',
  'guilds.join': 'Join servers for you',
  'guilds.members.read': 'Read your member info (nickname, avatar, roles, etc...) for servers you belong to',
};

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #5865f2; color: #dbdee1; margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { background: #313338; border-radius: 8px; padding: 32px; width: min(420px, 90vw); }
  h1 { font-size: 1.3rem; color: #f2f3f5; margin: 0 0 8px; }
  ul { padding-left: 20px; }
  select { display: block; width: 100%; padding: 8px; margin: 8px 0 16px; border-radius: 4px; background: #1e1f22; color: #dbdee1; border: 0; }
  .buttons { display: flex; gap: 8px; margin-top: 16px; }
  button { flex: 1; padding: 10px; border-radius: 4px; border: 0; font-weight: 600; cursor: pointer; }
  .approve { background: #5865f2; color: #fff; }
  .deny { background: transparent; color: #dbdee1; }
  small { color: #949ba4; display: block; margin-top: 16px; }`;

const FOOTER = '<small>This is Flock’s Discord emulator: no real Discord account is involved.</small>';

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – Discord emulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><main>${body}${FOOTER}</main></body></html>`;
}

const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

export interface ConsentView {
  appName: string;
  user: DiscordUser;
  scopes: string[];
  /** The authorize request's parameters, posted back with the decision. */
  params: Record<string, string | undefined>;
  csrf: string;
}

export function consentPage(view: ConsentView): string {
  const fields = ['response_type', 'client_id', 'scope', 'state', 'redirect_uri', 'prompt']
    .flatMap((name) => {
      const value = view.params[name];
      return value === undefined ? [] : [hidden(name, value)];
    })
    .join('');
  const scopes = view.scopes
    .map((s) => {
      const text =
        s === 'role_connections.write'
          ? `Update your connection and metadata for ${view.appName}`
          : (SCOPE_TEXT[s] ?? s);
      return `<li data-scope="${escapeHtml(s)}">${escapeHtml(text)}</li>`;
    })
    .join('');
  return layout(
    `Authorize ${view.appName}`,
    `<h1>${escapeHtml(view.appName)} wants to access your account</h1>
<p>Signed in as <strong>${escapeHtml(view.user.username)}</strong></p>
<p>This will allow the developer of ${escapeHtml(view.appName)} to:</p><ul>${scopes}</ul>
<form method="post" action="/oauth2/authorize">${fields}${hidden('csrf', view.csrf)}
<div class="buttons"><button class="deny" type="submit" name="decision" value="deny">Cancel</button>
<button class="approve" type="submit" name="decision" value="approve">Authorize</button></div></form>`,
  );
}

/** Pick a user to sign in as; comes back to `next` (a page of the emulator) afterwards. */
export function signInPage(users: DiscordUser[], next: string | undefined): string {
  const options = users
    .map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(u.username)}</option>`)
    .join('');
  return layout(
    'Log in',
    `<h1>Welcome back!</h1><p>Log in to continue.</p>
<form method="get" action="/emulator/sign-in">${next === undefined ? '' : hidden('next', next)}
<label for="user">Account</label><select id="user" name="user">${options}</select>
<div class="buttons"><button class="approve" type="submit">Log in</button></div></form>`,
  );
}

export function messagePage(title: string, text: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
