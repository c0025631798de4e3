/**
 * X tokens at rest: AES-256-GCM with a random 96-bit IV per record and the owner's Discord id
 * as additional data, so a sealed record moved to another user fails to open. The key comes
 * from TOKEN_ENCRYPTION_KEY, or is generated once into the data folder (mode 0600).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';

export interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

export const KEY_FILE = 'token-encryption.key';

export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Throws when the record was tampered with, sealed for someone else, or under another key. */
export function open(key: Buffer, sealed: Sealed, aad: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

/** The configured key, or the one kept in the data folder, made on first start. */
export function loadEncryptionKey(configured: Buffer | undefined, dataDir: string, log: Logger): Buffer {
  if (configured) return configured;
  const path = join(dataDir, KEY_FILE);
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32)
      throw new Error(
        `${path} does not hold a 32-byte base64 key; restore it from a backup or set TOKEN_ENCRYPTION_KEY`,
      );
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx' fails if another process created the file in the meantime, rather than overwriting its key.
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    'generated a token encryption key; back it up, or linked X accounts cannot be read after losing it',
    { path },
  );
  return key;
}
