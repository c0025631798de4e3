/**
 * `npm run emulator:x`: the X emulator on its own, with demo accounts, for trying Flock
 * without an X developer account. Prints the environment that points Flock at it.
 */
import { parseArgs } from 'node:util';
import { seedDemo, startNewFollowers } from './seed.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, XEmulator } from './server.js';

const USAGE =
  'usage: npm run emulator:x -- [--port 4100] [--redirect-uri URL] [--followers 2345] [--new-follower-every SECONDS]';

/**
 * `npm run emulator:x --port=4100` (without `--`) hands the option to npm, which keeps it as
 * npm_config_port: read it from there too. `--port 4100` is worse: npm keeps `port=true` and
 * passes `4100` on as a bare argument, which can be paired back only when it is the only one.
 */
const NAMES = ['port', 'redirect-uri', 'followers', 'new-follower-every'] as const;
const fromNpm = (name: string): string | undefined => process.env[`npm_config_${name.replaceAll('-', '_')}`];

function fail(line: string): never {
  process.stderr.write(`X emulator cannot start: ${line}\n`);
  process.exit(1);
}

let values: Record<(typeof NAMES)[number], string>;
try {
  const { values: parsed, positionals } = parseArgs({
    options: Object.fromEntries(NAMES.map((name) => [name, { type: 'string' as const }])),
    allowPositionals: true,
  });
  const bare = NAMES.filter((name) => parsed[name] === undefined && fromNpm(name) === 'true');
  if (positionals.length > 1 || bare.length > 1 || positionals.length !== bare.length)
    throw new Error('npm kept some options to itself: put `--` before them, or write --name=value');
  const pick = (name: (typeof NAMES)[number], fallback: string): string =>
    parsed[name] ?? (bare[0] === name ? positionals[0] : fromNpm(name)) ?? fallback;
  values = {
    port: pick('port', '4100'),
    'redirect-uri': pick('redirect-uri', 'http://localhost:3000/oauth/callback'),
    followers: pick('followers', '2345'),
    'new-follower-every': pick('new-follower-every', '0'),
  };
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
for (const name of ['port', 'followers', 'new-follower-every'] as const)
  if (!/^\d+$/.test(values[name])) fail(`--${name} must be a whole number, not "${values[name]}".\n${USAGE}`);

const emulator = new XEmulator({
  apps: [{ clientId: DEFAULT_CLIENT_ID, name: 'Flock', redirectUris: [values['redirect-uri']] }],
});
const { star } = seedDemo(emulator, Number(values.followers));
await emulator.listen(Number(values.port)).catch((error: unknown) => {
  if ((error as { code?: unknown }).code === 'EADDRINUSE')
    fail(`port ${values.port} is already in use: pass another with --port.`);
  throw error;
});

const every = Number(values['new-follower-every']);
if (every > 0) startNewFollowers(emulator, star, every * 1000);

process.stdout.write(`X emulator listening on ${emulator.url}
Demo accounts: @flockdemo (${values.followers} followers), @locked_lena (protected), @suspended_sam (suspended).
Activity API: subscriptions at /2/activity/subscriptions, follow events on GET /2/activity/stream${every > 0 ? ` (a new follower of @flockdemo every ${every} s)` : ''}.
Point Flock at it with:

X_API_URL=${emulator.url}
X_AUTHORIZE_URL=${emulator.authorizeUrl}
X_BEARER_TOKEN=${DEFAULT_BEARER}
X_CLIENT_ID=${DEFAULT_CLIENT_ID}

`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
