/**
 * Draws a year of a tracked account's growth (365 days) the way /alerts chart does: the days read
 * from the store (SQLite), summed up, the words beside it, and the PNG. Prints the first
 * drawing (modules and font loaded cold), then the median and slowest of the following rounds,
 * each beside the goal: under a second.
 *
 *   npm run bench:charts                 (defaults: 365 days, 20 rounds)
 *   npm run bench:charts -- --days 90 --rounds 5
 */
import { parseArgs } from 'node:util';
import { type DayGrowth, GrowthHistory, lastDays } from '../src/alerts/growth-history.js';
import { altText, chartDays, growthText, summarize } from '../src/alerts/growth-report.js';
import { CHART_HEIGHT, CHART_WIDTH, renderGrowthChart } from '../src/charts/growth-chart.js';
import { translator } from '../src/i18n/translate.js';
import { openStore } from '../src/store/open-store.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    rounds: { type: 'string', default: '20' },
  },
});
const dayCount = Number(values.days);
const rounds = Number(values.rounds);
const GOAL_MS = 1000;

const store = await openStore('sqlite://:memory:');
const history = new GrowthHistory(store);
const now = Date.UTC(2026, 10, 28, 12);
const period = lastDays(now, dayCount);
let followers = 20_000;
for (const [i, day] of period.entries()) {
  const gained = 20 + ((i * 37) % 60);
  const lost = (i * 17) % 45;
  followers += gained - lost;
  await history.save('42', { day, followers, gained, lost });
}

const t = translator('ja');
async function drawOnce(): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const found: (DayGrowth | undefined)[] = await history.read('42', period);
  const summary = summarize(found);
  growthText(summary, found, t);
  altText('@bench', summary, t);
  const png = renderGrowthChart({ days: chartDays(period, found), locale: t.locale });
  return { ms: performance.now() - started, bytes: png.length };
}

const first = await drawOnce();
const times: number[] = [];
let bytes = first.bytes;
for (let i = 0; i < rounds; i++) {
  const round = await drawOnce();
  times.push(round.ms);
  bytes = round.bytes;
}
await store.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? first.ms;
const slowest = times.at(-1) ?? first.ms;
const verdict = (ms: number) => (ms < GOAL_MS ? 'under' : 'OVER');
const line = (label: string, ms: number) =>
  console.log(`${label.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms   goal < ${GOAL_MS} ms: ${verdict(ms)}`);

console.log(
  `/alerts chart, ${dayCount} days, ${CHART_WIDTH}×${CHART_HEIGHT} PNG (${bytes} bytes), Node ${process.version}`,
);
line('first (cold)', first.ms);
line(`median of ${rounds}`, median);
line(`slowest of ${rounds}`, slowest);
if (slowest >= GOAL_MS || first.ms >= GOAL_MS) process.exitCode = 1;
