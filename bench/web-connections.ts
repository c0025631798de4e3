/**
 * What Flock's web server does with connections that never send a byte (slowloris-style), and
 * with more connections than it holds: opens `--idle` silent connections and times how long
 * until the server has closed them all, then opens `--flood` at once and counts how many it
 * accepted. Baseline (before the limits): 300 silent connections were all still open after 71 s,
 * and there was no cap.
 *
 *   npm run bench:web-connections                (defaults: 300 idle, 1000 flood)
 *   npm run bench:web-connections -- --idle 1000 --flood 2000
 */
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import type { LinkFlow } from '../src/accounts/link-flow.js';
import { silentLogger } from '../src/log.js';
import { DEFAULT_LIMITS, startWebServer } from '../src/web/server.js';

const { values } = parseArgs({
  options: { idle: { type: 'string', default: '300' }, flood: { type: 'string', default: '1000' } },
});

// Only /healthz and unknown paths are reached here: the link flow is never called.
const web = await startWebServer({
  port: 0,
  publicUrl: 'http://localhost:3000',
  log: silentLogger,
  health: () => ({ ok: true }),
  linking: {} as LinkFlow,
});
const port = Number(new URL(web.url).port);

function open(): Promise<{ socket: Socket; closed: Promise<number> } | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    // Reading what arrives (a 408) lets the socket see the server close it.
    socket.resume();
    socket.once('error', () => resolve(undefined));
    socket.once('connect', () =>
      resolve({
        socket,
        closed: new Promise((done) => socket.once('close', () => done(Date.now() - started))),
      }),
    );
  });
}

const idle = (await Promise.all(Array.from({ length: Number(values.idle) }, open))).filter(
  (s) => s !== undefined,
);
const times = await Promise.all(idle.map((s) => s.closed));
const last = Math.max(...times);
console.log(
  `${idle.length} silent connections: all closed by the server after ${(last / 1000).toFixed(1)} s ` +
    `(headers timeout ${DEFAULT_LIMITS.headersTimeoutMs / 1000} s; baseline: all still open after 71 s)`,
);

const flood = (await Promise.all(Array.from({ length: Number(values.flood) }, open))).filter(
  (s) => s !== undefined,
);
await new Promise((r) => setTimeout(r, 500));
const held = flood.filter((s) => !s.socket.destroyed && s.socket.readyState === 'open').length;
console.log(
  `${values.flood} connections at once: ${held} held (cap ${DEFAULT_LIMITS.maxConnections}; baseline: no cap, all held)`,
);
for (const s of flood) s.socket.destroy();
// The server counts a connection as gone once it has seen it close: retry for a moment.
const after = Date.now();
let status = 0;
while (!status && Date.now() - after < 5_000) {
  status = await fetch(`${web.url}/healthz`).then(
    (r) => r.status,
    () => 0,
  );
}
console.log(`/healthz once the flood let go: ${status} after ${Date.now() - after} ms`);
await web.close();
