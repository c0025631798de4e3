/**
 * Reads the followers of an account pair whole and compares them (/insights overlap), as Flock
 * does (pages of 1,000 stored a page at a time in SQLite, compared a partition at a time), and as
 * a naive reader does (X's default pages of 100, every user held in memory): X requests, billed
 * reads against the floor (the distinct users), time at X's rate limits, and peak memory.
 *
 * The X emulator runs in a process of its own and the reader in another, so the reader's RSS is
 * its own. Time runs on the emulator's clock: a wait for a rate-limit reset moves both clocks to
 * the reset at once, so "time" is the reader's real elapsed time plus the rate-limit waits it
 * would have sat through. Sizes are followers of the first account / of the second, of whom
 * `--shared` (default half the second's) follow both.
 *
 * Memory: the reader runs with its JavaScript heap capped (`--heap-mb`, default 40; 0 for none),
 * so that what it keeps alive, not how lazily V8 collects garbage, sets its peak RSS. A reader
 * that must hold more than the cap runs out of memory, and the table says so.
 *
 *   npm run bench:insights
 *   npm run bench:insights -- --sizes 10000/2000,40000/8000 --limits 300,15 --heap-mb 0
 */

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalLocks } from '../src/coordination/locks.js';
import { overlap } from '../src/insights/compare.js';
import { ListReads } from '../src/insights/list-reads.js';
import { readWholeList } from '../src/insights/read-list.js';
import { Results } from '../src/insights/results.js';
import { openStore } from '../src/store/open-store.js';
import { createXClient, type ReadKind, XRateLimitedError } from '../src/x/index.js';
import { DEFAULT_BEARER } from '../test/emulators/x/server.js';
import { ManualClock } from '../test/support/manual-clock.js';

const START = Date.parse('2026-11-28T12:00:00Z');
type Mode = 'flock' | 'naive';

interface WorkerJob {
  type: 'run';
  mode: Mode;
  url: string;
  alpha: string;
  beta: string;
  expected: [number, number];
}

interface WorkerResult {
  type: 'done';
  shared: number;
  realMs: number;
  waitedMs: number;
  rssStart: number;
  rssPeak: number;
}

// ── the reader, in its own process ─────────────────────────────────────────────────────────
if (process.argv.includes('--worker')) {
  const clock = new ManualClock(START);
  /** Moves the emulator's clock (through the parent), then ours, to `at`. */
  const setClock = (at: number) =>
    new Promise<void>((resolve) => {
      process.once('message', () => resolve());
      process.send?.({ type: 'set', at });
    }).then(() => clock.set(at));

  process.once('message', (job: WorkerJob) => {
    void (async () => {
      const x = createXClient({ apiUrl: job.url, bearerToken: DEFAULT_BEARER, clock, timeoutMs: 30_000 });
      const dir = mkdtempSync(join(tmpdir(), 'flock-bench-insights-'));
      const store = await openStore(`sqlite://${join(dir, 'bench.sqlite')}`);
      const rssStart = process.memoryUsage().rss;
      let rssPeak = rssStart;
      const sample = () => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      };
      const sampler = setInterval(sample, 2);
      const started = performance.now();
      let waitedMs = 0;
      const waitFor = async (until: number) => {
        waitedMs += Math.max(0, until - clock.now());
        await setClock(until);
      };
      let shared = 0;
      if (job.mode === 'flock') {
        const reads = new ListReads(store, clock, randomBytes(32));
        const results = new Results(store, clock, randomBytes(32), new LocalLocks());
        const read = (accountId: string, expected: number) =>
          readWholeList(
            { x, reads, clock, linked: undefined as never },
            {
              list: 'followers',
              accountId,
              expected,
              toRead: expected,
              kind: 'user' as ReadKind,
              withToken: false,
            },
            {
              ownerId: 'bench',
              signal: new AbortController().signal,
              cancelled: async () => false,
              allowanceLeft: async () => Number.MAX_SAFE_INTEGER,
              reserve: (_least: number, most: number) => ({ micro: most, release: () => undefined }),
              page: async () => sample(),
              // The reader sleeps on its clock until the reset: move both clocks there.
              waiting: async (until) => void setTimeout(() => void waitFor(until), 0),
            },
          );
        const [a, b] = [await read(job.alpha, job.expected[0]), await read(job.beta, job.expected[1])];
        if (a.kind !== 'done' || b.kind !== 'done') throw new Error('a read stopped');
        const record = await overlap({ reads, results }, 'bench', a.read, b.read);
        shared = record.counts.shared ?? 0;
      } else {
        // The naive reader: X's default page size, everything in memory, then sets.
        const all = async (accountId: string) => {
          const users: unknown[] = [];
          let token: string | undefined;
          do {
            try {
              const page = await x.followers(accountId, {
                maxResults: 100,
                userFields: [
                  'created_at',
                  'location',
                  'profile_image_url',
                  'protected',
                  'public_metrics',
                  'url',
                  'verified',
                ],
                ...(token ? { paginationToken: token } : {}),
              });
              users.push(...page.users);
              token = page.nextToken;
              sample();
            } catch (error) {
              if (!(error instanceof XRateLimitedError)) throw error;
              await waitFor(error.resetAt);
            }
          } while (token);
          return users as { id: string }[];
        };
        const a = await all(job.alpha);
        const b = await all(job.beta);
        const ofB = new Set(b.map((u) => u.id));
        shared = a.filter((u) => ofB.has(u.id)).length;
      }
      const realMs = performance.now() - started;
      sample();
      clearInterval(sampler);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      process.send?.({ type: 'done', shared, realMs, waitedMs, rssStart, rssPeak } satisfies WorkerResult);
    })();
  });
} else {
  await main();
}

function child(file: string, args: string[] = [], heapMb = 0): ChildProcess {
  const cap = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
  // The emulator's own output is its business; the reader's death by OOM is reported in the table.
  return fork(new URL(file, import.meta.url), args, {
    execArgv: ['--import', 'tsx', ...cap],
    stdio: 'ignore',
  });
}

function reply<T>(process: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (message: { type: string }) => {
      if (message.type !== type) return;
      process.off('message', on);
      resolve(message as T);
    };
    process.on('message', on);
  });
}

interface Figures {
  requests: number;
  billed: number;
  shared: number;
  timeMs: number;
  rssMb: number;
}

async function run(
  mode: Mode,
  followers: number,
  other: number,
  shared: number,
  limit: number,
  heapMb: number,
): Promise<Figures | 'out of memory'> {
  const emulator = child('./insights-emulator.ts');
  const started = reply<{ url: string; alpha: string; beta: string }>(emulator, 'started');
  emulator.send({ type: 'start', followers, other, shared, limit, start: START });
  const { url, alpha, beta } = await started;
  const worker = child('./insights.ts', ['--worker'], heapMb);
  // The worker's clock requests go to the emulator; its answer goes back.
  worker.on('message', (message: { type: string; at?: number }) => {
    if (message.type !== 'set') return;
    const done = reply(emulator, 'set');
    emulator.send({ type: 'set', at: message.at });
    void done.then(() => worker.send({ type: 'set' }));
  });
  const result = Promise.race([
    reply<WorkerResult>(worker, 'done'),
    new Promise<undefined>((resolve) => worker.once('exit', () => resolve(undefined))),
  ]);
  worker.send({ type: 'run', mode, url, alpha, beta, expected: [followers, other] } satisfies WorkerJob);
  const figures = await result;
  if (!figures) {
    emulator.kill();
    return 'out of memory';
  }
  const stats = reply<{ requests: number; billed: number }>(emulator, 'stats');
  emulator.send({ type: 'stats' });
  const { requests, billed } = await stats;
  worker.kill();
  emulator.kill();
  return {
    requests,
    billed,
    shared: figures.shared,
    timeMs: figures.realMs + figures.waitedMs,
    rssMb: (figures.rssPeak - figures.rssStart) / 1_048_576,
  };
}

function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '2500/500,10000/2000,40000/8000,100000/20000' },
      limits: { type: 'string', default: '300,15' },
      shared: { type: 'string' },
      'heap-mb': { type: 'string', default: '40' },
    },
  });
  const heapMb = Number(values['heap-mb']);
  const sizes = values.sizes.split(',').map((pair) => pair.split('/').map(Number) as [number, number]);
  const limits = values.limits.split(',').map(Number);
  console.log(
    "overlap of two accounts' followers: Flock (pages of 1,000, stored as read) vs a naive reader (pages of 100, held in memory)",
  );
  console.log(
    `time = real time + rate-limit waits on the emulator clock; RSS = reader process peak above its start${heapMb ? ` (JS heap capped at ${heapMb} MB)` : ''}\n`,
  );
  console.log(
    '| followers | limit /15 min | reader | requests (floor) | billed (floor) | shared | time | peak RSS Δ |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [followers, other] of sizes) {
    const shared = values.shared ? Number(values.shared) : Math.floor(other / 2);
    const floorUsers = followers + other - shared;
    const floorRequests = Math.ceil(followers / 1000) + Math.ceil(other / 1000);
    for (const limit of limits) {
      for (const mode of ['flock', 'naive'] as const) {
        const f = await run(mode, followers, other, shared, limit, heapMb);
        const who = mode === 'flock' ? 'Flock' : 'naive (baseline)';
        const size = `${followers.toLocaleString('en')}/${other.toLocaleString('en')}`;
        if (f === 'out of memory') {
          console.log(`| ${size} | ${limit} | ${who} | — | — | — | — | out of memory |`);
          continue;
        }
        console.log(
          `| ${followers.toLocaleString('en')}/${other.toLocaleString('en')} | ${limit} | ${mode === 'flock' ? 'Flock' : 'naive (baseline)'} | ${f.requests} (${floorRequests}) | ${f.billed.toLocaleString('en')} (${floorUsers.toLocaleString('en')}) | ${f.shared.toLocaleString('en')} | ${duration(f.timeMs)} | ${f.rssMb.toFixed(1)} MB |`,
        );
      }
    }
  }
}
