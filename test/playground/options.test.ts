/** `npm run playground` options as people type them, with `--` or without, and the one-line refusals. */
import { describe, expect, it } from 'vitest';
import { readOptions } from '../../playground/options.js';

describe('playground options', () => {
  it('has defaults that show the demo: port 3100, 2,345 followers, a new one every 20 s, errors logged', () => {
    expect(readOptions([], {})).toEqual({
      port: 3100,
      followers: 2345,
      newFollowerEvery: 20,
      logLevel: 'error',
    });
  });

  it('takes `--name value` and `--name=value` after `--`, and what npm kept as npm_config_*', () => {
    expect(readOptions(['--port', '0', '--new-follower-every=2'], {})).toMatchObject({
      port: 0,
      newFollowerEvery: 2,
    });
    // `npm run playground --port=4000` (no `--`): npm keeps it and passes it on in the environment.
    expect(readOptions([], { npm_config_port: '4000' }).port).toBe(4000);
  });

  it('refuses in one line what it cannot use', () => {
    expect(() => readOptions(['--prot', '1'], {})).toThrow("Unknown option '--prot'");
    expect(() => readOptions(['--port', '70000'], {})).toThrow(
      '--port must be a whole number up to 65535, not "70000"',
    );
    expect(() => readOptions(['--log-level', 'loud'], {})).toThrow(
      '--log-level must be one of debug, info, warn, error, not "loud"',
    );
    // `npm run playground --port 4000`: npm keeps `port=true` and passes 4000 on as a stray word.
    expect(() => readOptions(['4000'], { npm_config_port: 'true' })).toThrow('put `--` before the options');
    expect(() => readOptions(['4000'], {})).toThrow("Unexpected argument '4000'");
  });
});
