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

/** The shard Discord routes a guild's events to: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * A fresh snowflake that falls on `shard` of `shardCount`. Only the timestamp part decides the
 * shard, so this steps back a millisecond at a time until one does (at most `shardCount` steps).
 */
export function snowflakeOnShard(shard: number, shardCount: number, now = Date.now()): string {
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount)
    throw new Error(`shard ${shard} is not one of 0..${shardCount - 1}`);
  for (let back = 0; ; back++) {
    const id = snowflake(now - back);
    if (shardOf(id, shardCount) === shard) return id;
  }
}
