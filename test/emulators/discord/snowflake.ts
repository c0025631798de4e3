/** Discord ids: 64-bit snowflakes (ms since 2015-01-01 << 22 | worker | increment), 17–19 digits. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

export function snowflake(now = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return String(((BigInt(now) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment);
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
