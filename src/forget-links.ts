/**
 * `npm run forget-links`: deletes every linked X account (their tokens can no longer be decrypted
 * after a key change) so that Flock starts with the current TOKEN_ENCRYPTION_KEY. Users run
 * `/link` again. Tokens at X cannot be revoked without the old key; users can remove Flock on x.com.
 */
import { forgetLinks } from './accounts/key-check.js';
import { loadConfig } from './config.js';
import { openStore } from './store/open-store.js';

try {
  const config = loadConfig();
  const store = await openStore(config.store.url);
  await forgetLinks(store);
  await store.close();
  console.warn('Deleted every linked account. Flock now starts with the current TOKEN_ENCRYPTION_KEY.');
} catch (error) {
  console.error(`Cannot forget links: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
