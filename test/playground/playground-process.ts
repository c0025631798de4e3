/**
 * The playground as a person starts it, in a process of its own: its output, its page's address
 * once printed, and its exit. TMPDIR points at a folder of the test's, so what the playground
 * leaves behind there can be seen.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface RunningPlayground {
  child: ChildProcess;
  /** The TMPDIR it was given. */
  tmp: string;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The page's address, once printed. */
  url(): Promise<string>;
}

/** Starts `command` (npm, or node with the tsx loader) in its own process group. */
export function runPlayground(command: string, args: string[]): RunningPlayground {
  const tmp = mkdtempSync(join(tmpdir(), 'flock-playground-test-'));
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: tmp, TMPDIR: tmp },
    detached: true,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (d) => {
      output += String(d);
    });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    tmp,
    output: () => output,
    exit,
    url() {
      return new Promise((resolve, reject) => {
        const found = () => /Flock playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
        const timer = setTimeout(() => reject(new Error(`no address within 30 s:\n${output}`)), 30_000);
        const check = () => {
          const url = found();
          if (url) {
            clearTimeout(timer);
            resolve(url);
          }
        };
        child.stdout?.on('data', check);
        void exit.then(() => reject(new Error(`the playground ended:\n${output}`)));
        check();
      });
    },
  };
}

/** Stops the whole process group (npm and what it started), as Ctrl-C in a terminal does. */
export function stopGroup(running: RunningPlayground, signal: NodeJS.Signals = 'SIGTERM'): void {
  // npm may be gone while what it started still runs: the group is signalled, not npm.
  if (!running.child.pid) return;
  try {
    process.kill(-running.child.pid, signal);
  } catch {
    // Nothing of the group is left.
  }
}
