/**
 * One clock for the bench's processes, to line up what each of them saw: the machine's monotonic
 * clock (process.hrtime, the same for every process), in ms. Neither `performance.timeOrigin` nor
 * Date.now() will do: both are tied to the wall clock, and the bench's processes, lined up on
 * them, disagreed by up to 6 ms (timeOrigin) and 0.4 ms (Date.now(), read as it ticked), enough
 * to put an interaction's arrival before its dispatch. performance.now() and performance entries
 * count from the process's own start on the monotonic clock, so one offset, read once, converts
 * them.
 */
const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Now, in ms on the machine's monotonic clock. */
export const machineNow = (): number => offset + performance.now();
/** A performance.now() reading (a performance entry's startTime) on the machine's monotonic clock. */
export const onMachineClock = (performanceTime: number): number => offset + performanceTime;
