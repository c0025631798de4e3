/**
 * A process that uses the store as a script would: opens STORE_URL (argv[2]), writes 600 records
 * (past the 500 after which a checkpoint starts), then with argv[3] "close" closes the store and
 * prints "closed"; otherwise prints "left open" and leaves it open. Either way it then has
 * nothing left to do, so it should exit.
 */
import { openStore } from '../../src/store/open-store.js';

const store = await openStore(process.argv[2] ?? '');
const records = store.namespace<string>('records');
for (let i = 0; i < 600; i++) await records.set(`r${i}`, 'x'.repeat(300));
if (process.argv[3] === 'close') {
  await store.close();
  process.stdout.write('closed\n');
} else {
  process.stdout.write('left open\n');
}
