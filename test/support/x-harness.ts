/**
 * An X emulator and a follows API client pointed at it, sharing one manual clock, plus a few
 * seeded accounts. Every test gets its own pair on a fresh port.
 */
import { createXClient, type XClientOptions } from '../../src/x/index.js';
import {
  DEFAULT_BEARER,
  startXEmulator,
  type XEmulator,
  type XEmulatorOptions,
} from '../emulators/x/server.js';
import { ManualClock } from './manual-clock.js';

export interface XHarness {
  clock: ManualClock;
  emulator: XEmulator;
  client: ReturnType<typeof createXClient>;
  close(): Promise<void>;
}

export async function startXHarness(
  options: { emulator?: XEmulatorOptions; client?: Partial<XClientOptions> } = {},
): Promise<XHarness> {
  const clock = new ManualClock();
  const emulator = await startXEmulator({ clock, ...options.emulator });
  const client = createXClient({
    apiUrl: emulator.url,
    bearerToken: DEFAULT_BEARER,
    clock,
    timeoutMs: 2_000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options.client,
  });
  return { clock, emulator, client, close: () => emulator.close() };
}
