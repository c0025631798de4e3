/**
 * Rows read with a person's own X token (their protected account's followers, say) are theirs to
 * see, not the store's: such chunks are sealed (AES-256-GCM under TOKEN_ENCRYPTION_KEY, with the
 * chunk's key as additional data, so a chunk moved elsewhere fails to open). Rows anyone could
 * read stay plain. A chunk says by its shape which it is.
 */
import { open, type Sealed, seal } from '../accounts/encryption.js';
import type { UserRow } from './user-row.js';

export type StoredRows = UserRow[] | Sealed;

export function sealRows(key: Buffer, rows: UserRow[], at: string, sealed: boolean): StoredRows {
  return sealed ? seal(key, JSON.stringify(rows), at) : rows;
}

export function openRows(key: Buffer, stored: StoredRows | undefined, at: string): UserRow[] {
  if (!stored) return [];
  return Array.isArray(stored) ? stored : (JSON.parse(open(key, stored, at)) as UserRow[]);
}
