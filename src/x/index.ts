export {
  ACTIVITY_EVENT_TYPES,
  type ActivityEventType,
  type ActivityStreamOptions,
  type ActivitySubscription,
  type FollowActivity,
  type NewActivitySubscription,
  type StreamItem,
} from './activity.js';
export type { OwnListOptions, WriteOptions } from './blocks-mutes.js';
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
} from './cost-meter.js';
export * from './errors.js';
export type { CallOptions, RetryPolicy } from './http.js';
export {
  BLOCKS_MUTES_SCOPES,
  createOAuthClient,
  createPkce,
  LINK_SCOPES,
  type OAuthClient,
  type Pkce,
  type TokenSet,
} from './oauth.js';
export {
  estimateReadMicroUsd,
  READ_KINDS,
  READ_PRICE_MICRO_USD,
  type ReadKind,
  WRITE_KINDS,
  WRITE_PRICE_MICRO_USD,
  type WriteKind,
  X_PRICES_MICRO_USD,
} from './prices.js';
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
