/**
 * `npm run playground` options, as a person types them: `-- --port 3100`, or `--port=3100`,
 * which npm keeps to itself as npm_config_port (read from the environment it hands over).
 */
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../src/log.js';

export interface PlaygroundOptions {
  port: number;
  followers: number;
  /** Seconds between two new followers of @flockdemo; 0 for none. */
  newFollowerEvery: number;
  logLevel: LogLevel;
}

export const USAGE =
  'usage: npm run playground -- [--port 3100] [--followers 2345] [--new-follower-every 20] [--log-level error]';

const DEFAULTS = { port: '3100', followers: '2345', 'new-follower-every': '20', 'log-level': 'error' };
type Name = keyof typeof DEFAULTS;
const NAMES = Object.keys(DEFAULTS) as Name[];

/** Reads the options, or throws an Error whose message is one line to show with USAGE. */
export function readOptions(args: string[], env: Record<string, string | undefined>): PlaygroundOptions {
  const { values, positionals } = parseArgs({
    args,
    options: Object.fromEntries(NAMES.map((name) => [name, { type: 'string' as const }])),
    allowPositionals: true,
  });
  const fromNpm = (name: Name) => env[`npm_config_${name.replaceAll('-', '_')}`];
  // `npm run playground --port 3100` leaves npm_config_port=true and 3100 as a stray argument.
  if (NAMES.some((name) => fromNpm(name) === 'true'))
    throw new Error('npm kept an option to itself: put `--` before the options');
  if (positionals.length) throw new Error(`Unexpected argument '${positionals[0]}'`);
  const pick = (name: Name) => values[name] ?? fromNpm(name) ?? DEFAULTS[name];
  const whole = (name: Name, max: number) => {
    const text = pick(name);
    if (!/^\d+$/.test(text) || Number(text) > max)
      throw new Error(`--${name} must be a whole number up to ${max}, not "${text}"`);
    return Number(text);
  };
  const logLevel = pick('log-level');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  return {
    port: whole('port', 65_535),
    followers: whole('followers', 100_000),
    newFollowerEvery: whole('new-follower-every', 86_400),
    logLevel: logLevel as LogLevel,
  };
}
