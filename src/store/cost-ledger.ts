/**
 * Today's X spend kept in the store, so a restart neither forgets what was billed nor lets the
 * daily budget be spent twice. One record per UTC day; older days expire after a week.
 */
import type { CostLedger } from '../x/cost-meter.js';
import type { Store } from './open-store.js';

interface DayRecord {
  userIds: string[];
  writes: number;
  /** Activity API events billed that day (absent in older records). */
  eventIds?: string[];
}

const WEEK_MS = 7 * 24 * 60 * 60_000;

export function createCostLedger(store: Store): CostLedger {
  const days = store.namespace<DayRecord>('x-spend');
  return {
    load: async (day) => await days.get(day),
    save: async (day, record) => {
      await days.set(day, record, WEEK_MS);
    },
  };
}
