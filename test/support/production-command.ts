/**
 * The node flags Flock runs with in production, read from `npm start` in package.json: the
 * Dockerfile, the README's systemd unit and the benches that time Flock as operators run it all
 * take the same ones (test/production.test.ts checks that they agree).
 */
import { readFileSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;

/** `npm start`: the build, then `node <flags> dist/src/index.js`. */
function productionStart(): string {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start;
}

/** The flags between `node` and the entry point of the production line, e.g. `--max-old-space-size=96`. */
export function productionNodeFlags(): string[] {
  const flags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/index\.js/.exec(productionStart())?.[1];
  if (flags === undefined) throw new Error('npm start does not run `node [flags] dist/src/index.js`');
  return flags.trim().split(/\s+/).filter(Boolean);
}

/** The value of `--name=value` among the flags, as a number. */
export function flagValue(flags: readonly string[], name: string): number | undefined {
  const flag = flags.find((f) => f.startsWith(`--${name}=`));
  return flag === undefined ? undefined : Number(flag.slice(name.length + 3));
}
