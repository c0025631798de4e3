/** The store cannot be opened as configured; the message is one line an operator can act on. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/**
 * The store is configured right but is not answering now (Redis restarting, the network between).
 * Calls fail at once instead of waiting, while the connection retries in the background; a
 * command can answer "Flock's store is not answering, try again shortly".
 */
export class StoreUnavailableError extends StoreError {
  override readonly name: string = 'StoreUnavailableError';

  constructor(options?: { cause?: unknown }) {
    super('Flock’s store is not answering.', options);
  }
}

/** A store that went away, whether the error says so itself or wraps one that does. */
export function isStoreAway(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    if (e instanceof StoreUnavailableError) return true;
  return false;
}
