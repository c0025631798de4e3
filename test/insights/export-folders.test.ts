/** Export folders a crash left in the temporary folder are removed; a new one, perhaps another process's, stays. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepExportFolders, TEMP_PREFIX } from '../../src/insights/csv-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('export folders', () => {
  it('removes those older than an hour, and nothing else', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'flock-sweep-'));
    dirs.push(tmp);
    const old = join(tmp, `${TEMP_PREFIX}old`);
    const fresh = join(tmp, `${TEMP_PREFIX}fresh`);
    const other = join(tmp, 'someone-elses');
    for (const dir of [old, fresh, other]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'followers.csv'), 'id\n1\n');
    }
    const now = Date.now();
    const twoHoursAgo = new Date(now - 2 * 3_600_000);
    for (const dir of [old, other]) utimesSync(dir, twoHoursAgo, twoHoursAgo);
    expect(await sweepExportFolders(now, tmp)).toBe(1);
    expect(readdirSync(tmp).sort()).toEqual([`${TEMP_PREFIX}fresh`, 'someone-elses']);
  });
});
