/**
 * Another Flock process, as far as the store can tell: opens STORE_URL (argv[2]), prints
 * "opened", and holds the store until its stdin closes. Each line "again" on stdin tries a
 * second store on the same URL in this process and prints "refused" or "opened twice". A
 * StoreError at start is its one line on stderr and exit code 1, as `npm start` reports it.
 */
import { createInterface } from 'node:readline';
import { openStore, StoreError } from '../../src/store/open-store.js';

const url = process.argv[2] ?? '';
try {
  const store = await openStore(url);
  process.stdout.write('opened\n');
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line !== 'again') return;
    openStore(url).then(
      () => process.stdout.write('opened twice\n'),
      (error: unknown) =>
        process.stdout.write(error instanceof StoreError ? 'refused\n' : `${String(error)}\n`),
    );
  });
  lines.once('close', () => {
    void store.close().then(() => process.exit(0));
  });
} catch (error) {
  console.error(error instanceof StoreError ? error.message : String(error));
  process.exit(1);
}
