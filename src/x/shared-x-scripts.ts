/**
 * The Lua scripts behind shared-x-state.ts. Redis runs a script with nothing else in between,
 * so each check and its change happen as one step for every process. Each is defined once per
 * connection: ioredis sends the script's SHA and the script itself only when Redis lacks it.
 */
import type { Redis } from 'ioredis';

/**
 * KEYS: the bucket's windows (hashes of limit, remaining, resetAt). ARGV: now.
 * Returns the latest reset of a live window with nothing left (nothing taken), else takes one
 * request from every live window and returns 0.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local blocked = 0
local live = {}
for _, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'remaining', 'resetAt')
  local remaining, resetAt = tonumber(state[1]), tonumber(state[2])
  if remaining and resetAt and resetAt > now then
    if remaining <= 0 then
      blocked = math.max(blocked, resetAt)
    else
      live[#live + 1] = key
    end
  end
end
if blocked > 0 then return blocked end
for _, key in ipairs(live) do redis.call('HINCRBY', key, 'remaining', -1) end
return 0
`;

/**
 * KEYS: windows X's headers described. ARGV: now, margin, the caller's other requests in flight,
 * then limit, remaining, resetAt for each key. The same window keeps the lower remaining (the
 * stored one already counts those requests); a later one replaces it, less those requests,
 * expiring `margin` after its reset; an earlier one (an answer that came back late) is ignored.
 */
const REPORT = `
local now, margin, inFlight = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i, key in ipairs(KEYS) do
  local at = 4 + (i - 1) * 3
  local limit, remaining, resetAt = tonumber(ARGV[at]), tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local stored = redis.call('HMGET', key, 'remaining', 'resetAt')
  local storedRemaining, storedReset = tonumber(stored[1]), tonumber(stored[2])
  if storedReset == resetAt then
    if storedRemaining == nil or remaining < storedRemaining then
      redis.call('HSET', key, 'remaining', remaining)
    end
    redis.call('HSET', key, 'limit', limit)
  elseif storedReset == nil or resetAt > storedReset then
    local ttl = resetAt - now + margin
    if ttl > 0 then
      redis.call('HSET', key, 'limit', limit, 'remaining', remaining - inFlight, 'resetAt', resetAt)
      redis.call('PEXPIRE', key, ttl)
    else
      redis.call('DEL', key)
    end
  end
end
return 0
`;

/** KEYS: the 15-minute window. ARGV: now, margin, resetAt. Empty until resetAt, whatever was known. */
const EXHAUST = `
local now, margin, resetAt = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'remaining', 0, 'resetAt', resetAt)
redis.call('HSETNX', KEYS[1], 'limit', 0)
redis.call('PEXPIRE', KEYS[1], math.max(resetAt - now, 0) + margin)
return 0
`;

/**
 * KEYS: the day's billed users (a set), events (a set), writes (a counter). ARGV: ttl, writes to
 * add, how many of the user ids that follow to count, how many user ids follow, then the user
 * ids, then event uuids. Returns the counted users that were new, and the day's three totals.
 */
const SPEND = `
local ttl, writes = tonumber(ARGV[1]), tonumber(ARGV[2])
local counted, userCount = tonumber(ARGV[3]), tonumber(ARGV[4])
local newUsers = 0
for i = 5, 4 + userCount do
  local added = redis.call('SADD', KEYS[1], ARGV[i])
  if i < 5 + counted then newUsers = newUsers + added end
end
for i = 5 + userCount, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
if writes > 0 then redis.call('INCRBY', KEYS[3], writes) end
if #ARGV > 4 or writes > 0 then
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl) end
end
local totalWrites = tonumber(redis.call('GET', KEYS[3]) or '0')
return { newUsers, redis.call('SCARD', KEYS[1]), redis.call('SCARD', KEYS[2]), totalWrites }
`;

type Script = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

const SCRIPTS = { take: TAKE, report: REPORT, exhaust: EXHAUST, spend: SPEND } as const;

/** The scripts as functions on `redis`; the number of keys is given with each call. */
export function defineScripts(redis: Redis): Record<keyof typeof SCRIPTS, Script> {
  const defined = {} as Record<keyof typeof SCRIPTS, Script>;
  for (const [name, lua] of Object.entries(SCRIPTS) as [keyof typeof SCRIPTS, string][]) {
    const command = `flockX${name[0]?.toUpperCase()}${name.slice(1)}`;
    // Defining it again on the same connection (a second createSharedXState) replaces it with itself.
    redis.defineCommand(command, { lua });
    const run = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[
      command
    ];
    if (!run) throw new Error(`ioredis did not define ${command}`);
    defined[name] = (keys, args) => run.call(redis, keys.length, ...keys, ...args);
  }
  return defined;
}
