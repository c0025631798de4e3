/** Small timing helpers for the coordination tests, which run against real time and real Redis. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the time the signal aborted (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<number> {
  if (signal.aborted) return Promise.resolve(Date.now());
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(Date.now()), { once: true }),
  );
}

/** Resolves with whatever `promise` resolves with, or with 'pending' after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, sleep(ms).then(() => 'pending' as const)]);
}

/** A promise with its resolve function outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
