export {
  ACTIVITY_EVENT_TYPES,
  type ActivityEventType,
  type ActivityStreamOptions,
  type ActivitySubscription,
  type FollowActivity,
  type NewActivitySubscription,
  type StreamItem,
} from './activity.js';
export {
  createXClient,
  type ListOptions,
  type LookupOptions,
  type ManyUsers,
  type XClient,
  type XClientOptions,
} from './client.js';
export {
  type CostLedger,
  CostMeter,
  type DaySpend,
  type LedgerRecord,
  type SpendTally,
  X_PRICES_MICRO_USD,
} from './cost-meter.js';
export * from './errors.js';
export type { CallOptions, RetryPolicy } from './http.js';
export {
  createOAuthClient,
  createPkce,
  LINK_SCOPES,
  type OAuthClient,
  type Pkce,
  type TokenSet,
} from './oauth.js';
export { type BucketState, RateLimits } from './rate-limits.js';
export {
  createSharedXState,
  type SharedBuckets,
  type SharedSpend,
  type SharedXState,
  type SpendTotals,
} from './shared-x-state.js';
export * from './types.js';
export { InvalidUserRefError, parseUserRef, type UserRef } from './user-ref.js';
