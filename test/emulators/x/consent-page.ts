/**
 * The emulated consent page at /i/oauth2/authorize: who is signed in, what the app asks for,
 * and Authorize / Cancel buttons that post back and redirect like X does.
 */
import type { AuthorizeParams, OAuthApp } from './auth.js';
import type { EmuUser } from './world.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #000; color: #e7e9ea; margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { background: #16181c; border-radius: 16px; padding: 32px; width: min(420px, 90vw); }
  h1 { font-size: 1.4rem; margin: 0 0 16px; }
  ul { padding-left: 20px; color: #8b98a5; }
  label, select { display: block; width: 100%; margin: 8px 0 16px; }
  select { padding: 8px; border-radius: 8px; background: #000; color: #e7e9ea; border: 1px solid #333639; }
  button { width: 100%; padding: 12px; border-radius: 999px; font-weight: 700; font-size: 1rem; margin-top: 8px; cursor: pointer; border: 1px solid #536471; }
  .approve { background: #eff3f4; color: #0f1419; }
  .deny { background: transparent; color: #eff3f4; }
  small { color: #71767b; display: block; margin-top: 16px; }`;

export function consentPage(
  app: OAuthApp,
  params: AuthorizeParams,
  users: EmuUser[],
  signedIn: string | undefined,
): string {
  const hidden = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`,
    )
    .join('');
  const options = users
    .map(
      (u) =>
        `<option value="${escapeHtml(u.id)}"${u.id === signedIn ? ' selected' : ''}>@${escapeHtml(u.username)}</option>`,
    )
    .join('');
  const scopes = (params.scope ?? '')
    .split(' ')
    .map((s) => `<li>${escapeHtml(s)}</li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(app.name)} – X emulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(app.name)} wants to access your X account</h1>
<p>It will be able to:</p><ul>${scopes}</ul>
<form method="post" action="/i/oauth2/authorize">${hidden}
<label for="user_id">Signed in as</label><select id="user_id" name="user_id">${options}</select>
<button class="approve" type="submit" name="decision" value="approve">Authorize app</button>
<button class="deny" type="submit" name="decision" value="deny">Cancel</button>
</form><small>This is Flock's X emulator: no real X account is involved.</small></main></body></html>`;
}

export function consentErrorPage(reason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>X emulator</title><style>${STYLE}</style></head>
<body><main><h1>Something went wrong</h1><p>${escapeHtml(reason)}</p></main></body></html>`;
}
