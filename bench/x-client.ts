/**
 * Walks 10,000 followers through the X emulator with the follows API module, and with a bare
 * loop of fetch calls (the floor: no budgets, rate limits, retries or error translation), and
 * prints both times and request counts.
 *
 *   npm run bench:x-client            (defaults: 10000 followers, page size 1000, 7 rounds)
 *   npm run bench:x-client -- --followers 50000 --page 500 --rounds 5
 */
import { parseArgs } from 'node:util';
import { createXClient } from '../src/x/index.js';
import { DEFAULT_BEARER, startXEmulator } from '../test/emulators/x/server.js';

const { values } = parseArgs({
  options: {
    followers: { type: 'string', default: '10000' },
    page: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '7' },
  },
});
const followers = Number(values.followers);
const pageSize = Number(values.page);
const rounds = Number(values.rounds);

const emulator = await startXEmulator({
  limits: { 'GET /2/users/:id/followers': { app: 1_000_000 } },
});
const star = emulator.world.addUser({ username: 'star' });
for (const fan of emulator.world.addUsers(followers, 'fan')) emulator.world.follow(fan.id, star.id);
const fields = 'public_metrics,verified,protected';

async function withModule(): Promise<number> {
  const client = createXClient({ apiUrl: emulator.url, bearerToken: DEFAULT_BEARER });
  let seen = 0;
  for await (const page of client.pages('followers', star.id, {
    maxResults: pageSize,
    userFields: ['public_metrics', 'verified', 'protected'],
  })) {
    seen += page.users.length;
  }
  return seen;
}

async function withBareFetch(): Promise<number> {
  let seen = 0;
  let token: string | undefined;
  do {
    const url = new URL(`${emulator.url}/2/users/${star.id}/followers`);
    url.searchParams.set('max_results', String(pageSize));
    url.searchParams.set('user.fields', fields);
    if (token) url.searchParams.set('pagination_token', token);
    const res = await fetch(url, { headers: { authorization: `Bearer ${DEFAULT_BEARER}` } });
    const body = (await res.json()) as { data?: unknown[]; meta?: { next_token?: string } };
    seen += body.data?.length ?? 0;
    token = body.meta?.next_token;
  } while (token);
  return seen;
}

async function measure(name: string, walk: () => Promise<number>) {
  await walk(); // warm-up: JIT, sockets, the emulator's sorted list
  const times: number[] = [];
  let requests = 0;
  for (let round = 0; round < rounds; round++) {
    const before = emulator.log.length;
    const started = performance.now();
    const seen = await walk();
    times.push(performance.now() - started);
    requests = emulator.log.length - before;
    if (seen !== followers) throw new Error(`${name} saw ${seen} of ${followers} followers`);
  }
  times.sort((a, b) => a - b);
  return { name, median: times[Math.floor(times.length / 2)] ?? 0, best: times[0] ?? 0, requests };
}

const floor = await measure('bare fetch loop (floor)', withBareFetch);
const ours = await measure('follows API module', withModule);
await emulator.close();

console.log(`Walking ${followers} followers, page size ${pageSize}, median of ${rounds} rounds:`);
for (const r of [ours, floor]) {
  console.log(
    `  ${r.name.padEnd(26)} ${r.median.toFixed(1).padStart(8)} ms  (best ${r.best.toFixed(1)} ms)  ${r.requests} requests`,
  );
}
console.log(
  `  overhead over the floor: ${(((ours.median - floor.median) / floor.median) * 100).toFixed(1)}%`,
);
