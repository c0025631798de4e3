/**
 * What a new list's record costs to write to the default store (a SQLite file), one at a time
 * and arriving together: written with Keyv one by one (the baseline), and through WriteBatches,
 * which writes those that arrive while another is on its way in one statement. Prints CPU and
 * wall time per record for each.
 *
 *   npm run bench:store-writes                     (4,000 records, 1 and 8 at once)
 *   npm run bench:store-writes -- --records 500 --together 4
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type Keyv from 'keyv';
import type { PagingSession } from '../src/paging/sessions.js';
import { openStore } from '../src/store/open-store.js';
import { WriteBatches } from '../src/store/write-batches.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '4000' },
    together: { type: 'string', default: '8' },
  },
});
const RECORDS = Number(values.records);
const LEVELS = [...new Set([1, Number(values.together)])];
const TTL_MS = 7 * 24 * 3_600_000;

/** A list's record as Flock writes it. */
const session = (): PagingSession => ({
  id: randomBytes(9).toString('base64url'),
  ownerId: '123456789012345678',
  guildId: '123456789012345679',
  list: 'followers',
  account: { id: '1234567', username: 'star', name: 'Star', total: 200 },
  tokens: ['', 'PAGINATIONTOKEN1'],
  lastPage: undefined,
  createdAt: Date.now(),
});

const dir = mkdtempSync(join(tmpdir(), 'flock-store-writes-'));
const store = await openStore(`sqlite://${join(dir, 'flock.sqlite')}`);
const keyv: Keyv<PagingSession> = store.namespace<PagingSession>('paging-sessions');
const batches = new WriteBatches(keyv);

/** Writes RECORDS records, `together` at a time; returns µs of CPU and of wall time per record. */
async function measure(write: (s: PagingSession) => Promise<unknown>, together: number) {
  for (let i = 0; i < 200; i++) await write(session()); // warm-up
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: together }, async () => {
      while (next++ < RECORDS) await write(session());
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / RECORDS, wall: ((performance.now() - started) * 1000) / RECORDS };
}

console.log(
  `${RECORDS} records of a new list to a SQLite file, µs per record (CPU of this process, all threads):`,
);
for (const together of LEVELS) {
  const alone = await measure((s) => keyv.set(s.id, s, TTL_MS), together);
  const batched = await measure((s) => batches.set(s.id, s, TTL_MS), together);
  console.log(
    `  ${String(together).padStart(2)} at once: Keyv one by one ${alone.cpu.toFixed(0)} CPU, ${alone.wall.toFixed(0)} wall;` +
      ` WriteBatches ${batched.cpu.toFixed(0)} CPU, ${batched.wall.toFixed(0)} wall` +
      ` (${(batched.cpu / alone.cpu).toFixed(2)}× the CPU)`,
  );
}
await store.close();
rmSync(dir, { recursive: true, force: true });
