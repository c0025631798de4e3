/**
 * `npm run emulator:x`: the X emulator on its own, with demo accounts, for trying Flock
 * without an X developer account. Prints the environment that points Flock at it.
 */
import { parseArgs } from 'node:util';
import { seedDemo, startNewFollowers } from './seed.js';
import { DEFAULT_BEARER, DEFAULT_CLIENT_ID, XEmulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4100' },
    'redirect-uri': { type: 'string', default: 'http://localhost:3000/oauth/callback' },
    followers: { type: 'string', default: '2345' },
    'new-follower-every': { type: 'string', default: '0' },
  },
});

const emulator = new XEmulator({
  apps: [{ clientId: DEFAULT_CLIENT_ID, name: 'Flock', redirectUris: [values['redirect-uri']] }],
});
const { star } = seedDemo(emulator, Number(values.followers));
await emulator.listen(Number(values.port));

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
