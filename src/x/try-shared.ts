/**
 * What the X client does when Redis fails a shared step (rate-limit buckets, today's spend): X
 * requests go on with this process's own knowledge, and a 429 that follows is handled as any
 * other. Redis away is said once a minute at most, not on every request.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

const WARN_EVERY_MS = 60_000;

/** Runs a shared step; when it fails, logs (now and then) and answers with `local()` instead. */
export type TryShared = <T>(step: string, run: () => Promise<T>, local: () => T) => Promise<T>;

export function createTryShared(log: Logger, clock: Clock): TryShared {
  let warnedAt = Number.NEGATIVE_INFINITY;
  return async (step, run, local) => {
    try {
      return await run();
    } catch (error) {
      const now = clock.now();
      if (now - warnedAt >= WARN_EVERY_MS) {
        warnedAt = now;
        log.warn(
          'X rate limits and spend are not shared while Redis fails; going on with this process’s own',
          {
            step,
            error,
          },
        );
      }
      return local();
    }
  };
}
