/**
 * What the alert sources find, whichever found it: a follower gained or lost by a tracked
 * account, or an account the tracked account itself followed or unfollowed. Each carries a key
 * that names it for good (X's event uuid, or the follower and the check that found them), so
 * the same event found twice (a replayed stream, a retried check) becomes the same alert.
 */
import type { XUser } from '../x/index.js';

export type LostReason = 'unfollowed' | 'suspended' | 'deactivated';

export type FollowerEvent =
  | { kind: 'new'; user: XUser }
  | { kind: 'lost'; user: XUser; reason: LostReason }
  /** The tracked account followed `user`. */
  | { kind: 'followed'; user: XUser }
  /** The tracked account unfollowed `user`. */
  | { kind: 'unfollowed'; user: XUser };

export type AlertKind = FollowerEvent['kind'];
export const ALERT_KINDS: readonly AlertKind[] = ['new', 'lost', 'followed', 'unfollowed'];

export type KeyedEvent = FollowerEvent & { key: string };

/** A user X no longer shows (suspended, deactivated): only the id is known. */
export const isNameless = (user: XUser) => user.username === user.id;
