/**
 * What X charges on pay-per-use (reference/x-api.md, "Cost" and "2026 plan realities"), by kind
 * of call. Reads are billed per user returned, each user once per UTC day within one kind of
 * read; writes per request; Activity API events once per UTC day by event_uuid.
 */

/** Prices in millionths of a dollar, so sums stay exact. */
export const X_PRICES_MICRO_USD = {
  /** A user returned by a followers/following list or a lookup ("User: Read"). */
  userRead: 10_000,
  /** A user returned by the app owner's own followers/following, read with the owner's token. */
  ownedRead: 1_000,
  /** A user returned by GET /2/users/:id/blocking (owned or not: the price is the same). */
  blockRead: 1_000,
  /** A user returned by GET /2/users/:id/muting (owned or not: the price is the same). */
  muteRead: 1_000,
  /** A follow or unfollow request. */
  write: 15_000,
  /** A mute request. x-api.md names no "Mute: Create" price: priced as a follow write until X says. */
  muteCreate: 15_000,
  /** An unmute request ("Mute: Delete"). */
  muteDelete: 5_000,
  /** An Activity API follow.follow / follow.unfollow event. */
  event: 10_000,
} as const;

/**
 * The kinds of read X prices apart. Each kind is de-duplicated on its own: x-api.md does not say
 * that a user billed as a block read is free in a followers read the same day, so it is not
 * assumed (the estimate errs high, never low).
 */
export const READ_KINDS = ['user', 'owned', 'block', 'mute'] as const;
export type ReadKind = (typeof READ_KINDS)[number];

/** Writes X prices apart: follow and unfollow (one price), mute, unmute. */
export const WRITE_KINDS = ['follow', 'mute', 'unmute'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

export const READ_PRICE_MICRO_USD: Readonly<Record<ReadKind, number>> = {
  user: X_PRICES_MICRO_USD.userRead,
  owned: X_PRICES_MICRO_USD.ownedRead,
  block: X_PRICES_MICRO_USD.blockRead,
  mute: X_PRICES_MICRO_USD.muteRead,
};

export const WRITE_PRICE_MICRO_USD: Readonly<Record<WriteKind, number>> = {
  follow: X_PRICES_MICRO_USD.write,
  mute: X_PRICES_MICRO_USD.muteCreate,
  unmute: X_PRICES_MICRO_USD.muteDelete,
};

/**
 * What reading `users` users in one kind of read costs, in millionths of a dollar, when
 * `alreadyBilledToday` of them were billed in that kind of read today (X bills each once per
 * UTC day). The figure to show before a read that asks the user to confirm.
 */
export function estimateReadMicroUsd(kind: ReadKind, users: number, alreadyBilledToday = 0): number {
  const billable = Math.max(0, Math.floor(users) - Math.max(0, Math.floor(alreadyBilledToday)));
  return billable * READ_PRICE_MICRO_USD[kind];
}

/** Counts per kind, all zero. */
export const zeroCounts = <K extends string>(kinds: readonly K[]): Record<K, number> =>
  Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<K, number>;
