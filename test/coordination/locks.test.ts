import { describe, expect, it } from 'vitest';
import { LocalLocks } from '../../src/coordination/locks.js';
import { sleep } from './timing.js';

describe('LocalLocks', () => {
  it('runs the tasks of one key one at a time, in the order they came', async () => {
    const locks = new LocalLocks();
    const events: string[] = [];
    await Promise.all(
      [30, 10, 0].map((ms, i) =>
        locks.run('k', async () => {
          events.push(`start ${i}`);
          await sleep(ms);
          events.push(`end ${i}`);
        }),
      ),
    );
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(locks.busy).toBe(false);
  });

  it('hands each task a signal that never aborts, and a task of its own', async () => {
    const locks = new LocalLocks();
    const signals: AbortSignal[] = [];
    await locks.run('k', async (signal) => {
      signals.push(signal);
    });
    await locks.run('k', async (signal) => {
      signals.push(signal);
    });
    expect(signals).toHaveLength(2);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]).not.toBe(signals[1]);
    expect(signals.some((signal) => signal.aborted)).toBe(false);
  });

  it('still accepts tasks that take no signal', async () => {
    const locks = new LocalLocks();
    await expect(locks.run('k', async () => 42)).resolves.toBe(42);
  });
});
