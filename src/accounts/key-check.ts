/**
 * A record sealed with the token encryption key, kept beside the tokens it protects. If the key
 * changes (TOKEN_ENCRYPTION_KEY edited, or the generated key file lost), no linked account can be
 * read any more: start-up stops and says so, rather than every linked user meeting an apology.
 */

import { StartupError } from '../startup-error.js';
import type { Store } from '../store/open-store.js';
import { open, type Sealed, seal } from './encryption.js';

const RECORD = 'token-encryption-key';
const CONTEXT = 'flock key check';

export async function checkEncryptionKey(store: Store, key: Buffer): Promise<void> {
  const checks = store.namespace<Sealed>('key-check');
  const sealed = await checks.get(RECORD);
  if (!sealed) {
    await checks.set(RECORD, seal(key, CONTEXT, CONTEXT));
    return;
  }
  try {
    if (open(key, sealed, CONTEXT) === CONTEXT) return;
  } catch {
    // Falls through: a different key cannot open it.
  }
  throw new StartupError(
    'TOKEN_ENCRYPTION_KEY is not the key that encrypted the stored X tokens: set it back to the previous key (or restore data/token-encryption.key), or run `npm run forget-links` to delete every linked account so users link again.',
  );
}

/** Deletes every linked account and the key check, so the next start accepts the current key. */
export async function forgetLinks(store: Store): Promise<void> {
  for (const name of ['links', 'link-attempts', 'link-states', 'link-pending', 'key-check'])
    await store.namespace(name).clear();
}
