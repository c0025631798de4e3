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
 * KEYS: the day's sets (billed users of each kind of read, then events), then its counters
 * (writes of each kind). ARGV: ttl, how many sets, how many counters, which set (1-based) holds
 * the counted users and how many of its first members they are, each set's member count, the
 * members of every set in order, then each counter's increment. Returns how many counted users
 * were new, then every set's size and every counter's value.
 */
const SPEND = `
local ttl = tonumber(ARGV[1])
local sets, counters = tonumber(ARGV[2]), tonumber(ARGV[3])
local countedSet, counted = tonumber(ARGV[4]), tonumber(ARGV[5])
local at = 6 + sets
local changed = false
local newUsers = 0
for s = 1, sets do
  local size = tonumber(ARGV[5 + s])
  for m = 0, size - 1 do
    local added = redis.call('SADD', KEYS[s], ARGV[at + m])
    if s == countedSet and m < counted then newUsers = newUsers + added end
  end
  if size > 0 then changed = true end
  at = at + size
end
for c = 1, counters do
  local by = tonumber(ARGV[at + c - 1])
  if by > 0 then
    redis.call('INCRBY', KEYS[sets + c], by)
    changed = true
  end
end
if changed then
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl) end
end
local answer = { newUsers }
for s = 1, sets do answer[#answer + 1] = redis.call('SCARD', KEYS[s]) end
for c = 1, counters do answer[#answer + 1] = tonumber(redis.call('GET', KEYS[sets + c]) or '0') end
return answer
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
