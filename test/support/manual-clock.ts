/**
 * A clock that moves only when told, shared by the X emulator and the module under test so
 * that rate-limit resets, code expiry and UTC days can be reached without waiting.
 */
import type { Clock } from '../../src/clock.js';

interface Sleeper {
  until: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(start: number | string = '2026-11-28T12:00:00Z') {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = { until: this.#now + Math.max(0, ms), resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      });
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  set(ms: number): void {
    this.#now = ms;
    const due = this.#sleepers.filter((s) => s.until <= ms);
    this.#sleepers = this.#sleepers.filter((s) => s.until > ms);
    for (const sleeper of due) sleeper.resolve();
  }

  /** How many callers are waiting on this clock. */
  get sleeping(): number {
    return this.#sleepers.length;
  }
}
