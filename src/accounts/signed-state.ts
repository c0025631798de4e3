/**
 * The OAuth state of a Linked Roles sign-in. Anyone can open `/linked-roles`, so nothing is
 * stored until Discord says who they are: the state itself carries the browser binding and the
 * time, signed with a key derived from the encryption key. Discord's code is single use, so a
 * replayed state cannot be exchanged twice.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'lr.';

interface Claims {
  /** Hash of the browser cookie. */
  b: string;
  /** When it was made, ms since epoch. */
  t: number;
  /** Makes every state unique. */
  n: string;
}

export class SignedStates {
  readonly #key: Buffer;

  constructor(encryptionKey: Buffer) {
    this.#key = Buffer.from(
      hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'flock linked-roles state', 32),
    );
  }

  static owns(state: string): boolean {
    return state.startsWith(PREFIX);
  }

  sign(browserHash: string, now: number): string {
    const claims: Claims = { b: browserHash, t: now, n: randomBytes(9).toString('base64url') };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${PREFIX}${payload}.${this.#mac(payload)}`;
  }

  /** The claims of a state Flock signed, or undefined for anything else. */
  verify(state: string): { browserHash: string; createdAt: number } | undefined {
    const [payload = '', mac = ''] = state.slice(PREFIX.length).split('.');
    const expected = Buffer.from(this.#mac(payload));
    const given = Buffer.from(mac);
    if (!SignedStates.owns(state) || given.length !== expected.length || !timingSafeEqual(given, expected))
      return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
      if (typeof claims.b !== 'string' || typeof claims.t !== 'number') return undefined;
      return { browserHash: claims.b, createdAt: claims.t };
    } catch {
      return undefined;
    }
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }
}
