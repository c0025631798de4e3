/**
 * An X emulator and a follows API client pointed at it, sharing one manual clock, plus a few
 * seeded accounts. Every test gets its own pair on a fresh port. The cost meter and rate limits
 * are the harness's own, passed to the client, as the app passes its own.
 */
import {
  CostMeter,
  createXClient,
  RateLimits,
  type XClient,
  type XClientOptions,
} from '../../src/x/index.js';
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
  client: XClient;
  /** The client's cost meter (the one in `options.client`, if given). */
  costMeter: CostMeter;
  /** The client's rate-limit buckets (the one in `options.client`, if given). */
  rateLimits: RateLimits;
  close(): Promise<void>;
}

export async function startXHarness(
  options: { emulator?: XEmulatorOptions; client?: Partial<XClientOptions> } = {},
): Promise<XHarness> {
  const clock = new ManualClock();
  const emulator = await startXEmulator({ clock, ...options.emulator });
  const costMeter = options.client?.costMeter ?? new CostMeter(clock);
  const rateLimits = options.client?.rateLimits ?? new RateLimits(clock);
  const client = createXClient({
    apiUrl: emulator.url,
    bearerToken: DEFAULT_BEARER,
    clock,
    timeoutMs: 2_000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options.client,
    costMeter,
    rateLimits,
  });
  return { clock, emulator, client, costMeter, rateLimits, close: () => emulator.close() };
}
