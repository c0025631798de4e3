/**
 * How each tracked account grew: one small record per account per UTC day (its follower count
 * at the day's last check or stream batch, and the followers gained and lost that day), for
 * /alerts chart and the weekly digest.
 *
 * Crash-safe by construction: the day's running figures live in the account's state and change
 * in the same write as the check or stream batch that moved them (a check that is repeated after
 * a crash starts again from the figures saved before it). The day record is then a copy of those
 * figures, overwritten whole each time, so writing it twice changes nothing.
 *
 * Kept RETENTION_DAYS: the longest chart is 365 days, and a month more lets a chart asked for at
 * any time of the year still start at its first day. Each record expires on its own (the store's
 * TTL, swept hourly), so an account that is no longer tracked leaves nothing behind for long.
 */
import { utcDay } from '../clock.js';
import type { Store } from '../store/open-store.js';
import type { AccountStates } from './account-state.js';

export const RETENTION_DAYS = 400;
const DAY_MS = 24 * 60 * 60_000;

/** One UTC day of an account's growth. */
export interface DayGrowth {
  /** `YYYY-MM-DD`. */
  day: string;
  /** X's follower count at the day's last check or stream batch. */
  followers: number | undefined;
  gained: number;
  lost: number;
}

/** What one check or stream batch saw. */
export interface GrowthChange {
  followers?: number | undefined;
  gained?: number;
  lost?: number;
}

/**
 * The day's figures after `change`, starting a new day (from the last count known) when `now`
 * is past the one `current` holds. Pure: the caller keeps the result in the account's state.
 */
export function addGrowth(current: DayGrowth | undefined, now: number, change: GrowthChange): DayGrowth {
  const day = utcDay(now);
  const base: DayGrowth =
    current?.day === day ? current : { day, followers: current?.followers, gained: 0, lost: 0 };
  return {
    day,
    followers: change.followers ?? base.followers,
    gained: base.gained + Math.max(0, change.gained ?? 0),
    lost: base.lost + Math.max(0, change.lost ?? 0),
  };
}

/** The UTC days from `from` to `to` (both `YYYY-MM-DD`), in order. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += DAY_MS) days.push(utcDay(at));
  return days;
}

/** The `count` UTC days ending with the one containing `now`. */
export function lastDays(now: number, count: number): string[] {
  return daysBetween(utcDay(now - (count - 1) * DAY_MS), utcDay(now));
}

type Stored = Omit<DayGrowth, 'day'>;

export class GrowthHistory {
  readonly #days;

  constructor(store: Store) {
    this.#days = store.namespace<Stored>('alert-growth');
  }

  /** Saves a day's figures (the whole record: saving the same figures twice changes nothing). */
  async save(accountId: string, growth: DayGrowth): Promise<void> {
    const { day, ...figures } = growth;
    await this.#days.set(`${accountId}:${day}`, figures, RETENTION_DAYS * DAY_MS);
  }

  /** Each of `days` with what was recorded that day, or undefined where nothing was. */
  async read(accountId: string, days: readonly string[]): Promise<(DayGrowth | undefined)[]> {
    if (!days.length) return [];
    const found = await this.#days.getMany(days.map((day) => `${accountId}:${day}`));
    return days.map((day, i) => {
      const figures = found[i];
      return figures ? { day, ...figures } : undefined;
    });
  }
}

/**
 * Starts today's record for each account that has a count and no record today yet: a quiet day
 * (no check, no stream event) is then a day with nothing gained or lost, not a gap. A day with
 * no record at all is one Flock was not running.
 */
export async function carryGrowthOver(
  states: AccountStates,
  history: GrowthHistory,
  ids: Iterable<string>,
  now: number,
): Promise<void> {
  const today = utcDay(now);
  const due = (state: { followersCount: number | undefined; growth?: DayGrowth | undefined } | undefined) =>
    state !== undefined && state.followersCount !== undefined && state.growth?.day !== today;
  for (const id of ids) {
    if (!due(await states.get(id))) continue;
    await states.update(id, async (state) => {
      if (!state || !due(state)) return { state: undefined, result: undefined };
      const growth = addGrowth(state.growth, now, { followers: state.followersCount });
      await history.save(id, growth);
      return { state: { ...state, growth }, result: undefined };
    });
  }
}
