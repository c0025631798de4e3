/**
 * How long what insights keeps lives: the UTC day it was read on (X bills each user once a UTC
 * day, so a read kept for the day makes asking again free), and a day after it: a read of a large
 * list that runs past midnight (X's rate limit allows 15,000 users a quarter hour) keeps what it
 * read until it finishes, and a list opened at 23:59 can still be paged. Only the day's own records
 * are free to ask again; the day after, a new read begins.
 */
import { nextUtcMidnight } from '../clock.js';

const GRACE_MS = 24 * 60 * 60_000;

/** Milliseconds from `now` until records of `day` (`YYYY-MM-DD`) go; never less than a minute. */
export function ttlOfDay(day: string, now: number): number {
  return Math.max(60_000, nextUtcMidnight(Date.parse(`${day}T00:00:00Z`)) + GRACE_MS - now);
}
