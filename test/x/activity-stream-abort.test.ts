/** Aborting the Activity stream ends it, even after the garbage collector has run (a process of its own). */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

const SCRIPT = new URL('./fixtures/abort-after-gc.ts', import.meta.url).pathname;

it('ends the stream on abort after a garbage collection', async () => {
  const child = spawn(process.execPath, ['--expose-gc', '--import', import.meta.resolve('tsx'), SCRIPT]);
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  await new Promise((resolve) => child.once('exit', resolve));
  expect(output.trim()).toBe('ended');
}, 20_000);
