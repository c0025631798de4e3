/**
 * Why alerts are paused, polled or waiting, as codes (with what the words need) rather than
 * sentences: they are stored, and each reader of /alerts list or of a notice gets them in their
 * own language. Versions before these codes stored the English sentence; it is shown as it is.
 */
import { xHandle } from '../discord/x-text.js';
import type { Translator } from '../i18n/translate.js';

/** Why a subscription's delivery stopped. */
export type PauseReason =
  | { code: 'channel-deleted' }
  | { code: 'channel-closed' }
  | { code: 'account-gone'; kind: 'not-found' | 'suspended' | 'protected'; username: string };

/** Why an account is polled rather than streamed. */
export type SourceReason =
  | { code: 'poll-setting' }
  | { code: 'no-activity-api' }
  | { code: 'own-limit'; limit: number }
  | { code: 'x-limit' }
  | { code: 'needs-sign-in' }
  | { code: 'refused' };

/** Why checks or the stream are on hold. */
export type WaitReason =
  | { code: 'rate-limited' }
  | { code: 'budget-spent' }
  | { code: 'x-down' }
  | { code: 'no-activity-api' }
  | { code: 'connection-refused' }
  | { code: 'stream-down' }
  | { code: 'other-process' };

export type Reason = PauseReason | SourceReason | WaitReason;

/** A reason as stored: a code, or the English sentence an earlier version wrote. */
export type StoredReason<R extends Reason> = R | string;

/** The reason in the reader's language; an earlier version's English sentence as it was written. */
export function sayReason(reason: StoredReason<Reason>, t: Translator): string {
  if (typeof reason === 'string') return reason;
  switch (reason.code) {
    case 'channel-deleted':
      return t('alerts:reasons.channel-deleted');
    case 'channel-closed':
      return t('alerts:reasons.channel-closed');
    case 'account-gone': {
      const account = xHandle({ username: reason.username });
      if (reason.kind === 'suspended') return t('alerts:reasons.account-suspended', { account });
      if (reason.kind === 'protected') return t('alerts:reasons.account-protected', { account });
      return t('alerts:reasons.account-not-found', { account });
    }
    case 'own-limit':
      return t('alerts:reasons.own-limit', { limit: t.whole(reason.limit) });
    case 'poll-setting':
    case 'no-activity-api':
    case 'x-limit':
    case 'needs-sign-in':
    case 'refused':
    case 'rate-limited':
    case 'budget-spent':
    case 'x-down':
    case 'connection-refused':
    case 'stream-down':
    case 'other-process':
      return t(`alerts:reasons.${reason.code}`);
  }
}

/** Whether two reasons are the same (a stored sentence is never the same as a code). */
export function sameReason(
  a: StoredReason<Reason> | undefined,
  b: StoredReason<Reason> | undefined,
): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
