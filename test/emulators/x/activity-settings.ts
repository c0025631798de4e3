/**
 * The Activity API's event types and the emulator's settings for it: what reference/x-api.md
 * leaves open is a setting, so clients can be tested against each reading.
 */
export const ACTIVITY_EVENT_TYPES = ['follow.follow', 'follow.unfollow'] as const;
export type ActivityEventType = (typeof ACTIVITY_EVENT_TYPES)[number];

export interface ActivitySettings {
  /** Subscriptions one app may hold: 1,500 on self-serve plans (75,000 on Enterprise). */
  subscriptionLimit: number;
  /**
   * How a subscription past the limit is refused. X does not say; the default is a 403
   * client-forbidden problem with `reason: "subscription-limit-reached"` (the plan forbids more,
   * like client-not-enrolled); the other reading is 429 usage-capped.
   */
  limitStyle: 'client-forbidden' | 'usage-capped';
  /**
   * How a second subscription for the same event type and user id is refused. X does not say;
   * the default is 409 Conflict with a problem whose detail says "Duplicate"; the other reading
   * is 400 invalid-request with a "Duplicate subscription" message.
   */
  duplicateStyle: '409' | '400';
  /** X's OpenAPI document gives 200 for a created subscription; 201 is the REST reading. */
  createdStatus: 200 | 201;
  /** Accounts X will not serve to this app: a subscription for them is refused (403 not-authorized-for-resource). */
  refusedUserIds: Set<string>;
  /** Accounts whose events need user context: app Bearer → 403 unsupported-authentication; that user's own token works. */
  userContextUserIds: Set<string>;
  /**
   * Protected accounts. The reference says they deliver nothing, not that subscribing fails:
   * `silent` (default) accepts the subscription and never sends an event; `refuse` refuses it
   * like `refusedUserIds`.
   */
  protectedAccounts: 'silent' | 'refuse';
  /**
   * A public tracked account followed by (or following) a protected one. X does not say;
   * `deliver` (default) sends the event, as followers lists show protected followers;
   * `withhold` drops it.
   */
  protectedCounterparts: 'deliver' | 'withhold';
  /**
   * A follower who is suspended or deactivates (`World.setState`). X's docs are silent on
   * whether the accounts they followed hear of it; `unfollow` (default) sends each subscribed
   * one a follow.unfollow whose source is `{"data":{"id":…}}` alone, as X no longer shows the
   * profile of a user who is gone; `silent` sends nothing.
   */
  goneFollowers: 'silent' | 'unfollow';
  /** A blank line this often on every open stream (X's other streams: 20 s). Real time. */
  keepAliveMs: number;
  /** Concurrent stream connections per app. */
  maxConnections: number;
  /** How far back `backfill_minutes` and `start_time` may reach. */
  backfillMaxMinutes: number;
  /**
   * X's v2 streams answer `application/json` with one object per line; `application/x-ndjson`
   * is the other reading. Clients should not care.
   */
  streamContentType: string;
  /** Splits every write to a stream into pieces of this many bytes, sent a few ms apart. */
  writeChunkBytes: number | undefined;
}

export function defaultActivitySettings(): ActivitySettings {
  return {
    subscriptionLimit: 1500,
    limitStyle: 'client-forbidden',
    duplicateStyle: '409',
    createdStatus: 200,
    refusedUserIds: new Set(),
    userContextUserIds: new Set(),
    protectedAccounts: 'silent',
    protectedCounterparts: 'deliver',
    goneFollowers: 'unfollow',
    keepAliveMs: 20_000,
    maxConnections: 2,
    backfillMaxMinutes: 5,
    streamContentType: 'application/json; charset=utf-8',
    writeChunkBytes: undefined,
  };
}
