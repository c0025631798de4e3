/** Shapes of what X returns, as Flock uses them. Ids are strings end to end: they exceed 2^53. */

export const USER_FIELDS = [
  'connection_status',
  'created_at',
  'description',
  'location',
  'pinned_tweet_id',
  'profile_image_url',
  'protected',
  'public_metrics',
  'url',
  'verified',
  'verified_type',
  'withheld',
] as const;
export type UserField = (typeof USER_FIELDS)[number];

export interface PublicMetrics {
  followers_count: number;
  following_count: number;
  /** The newest spec calls it post_count; both are read into this. */
  tweet_count: number;
  listed_count: number;
}

export interface XUser {
  id: string;
  name: string;
  username: string;
  /** With a user token: how the token's user relates to this one (following, follow_request_sent, …). */
  connection_status?: string[];
  created_at?: string;
  description?: string;
  location?: string;
  pinned_tweet_id?: string;
  profile_image_url?: string;
  protected?: boolean;
  public_metrics?: PublicMetrics;
  url?: string;
  verified?: boolean;
  verified_type?: string;
  withheld?: unknown;
}

export interface UserPage {
  users: XUser[];
  /** Present unless this is the last page. */
  nextToken: string | undefined;
  /** Present from the second page on. */
  previousToken: string | undefined;
}

export type FollowList = 'followers' | 'following';

export interface FollowResult {
  following: boolean;
  /** True when the target is protected and must approve the request first. */
  pendingFollow: boolean;
}

/** A Discord user's X access token, with a stable key that names their rate-limit buckets. */
export interface UserAuth {
  /** Stable across token refreshes, e.g. the X user id; never the token itself. */
  key: string;
  accessToken: string;
  /**
   * The X user the token belongs to, where the key is something else: the calls on the token's
   * own account (blocks, mutes, owned reads) need it. Defaults to `key`, which accounts/ sets to
   * the X user id.
   */
  userId?: string;
}

/** The X user a token belongs to, as far as the caller said. */
export const authUserId = (auth: UserAuth): string => auth.userId ?? auth.key;

/** The lists X serves only to the listed account's own token. */
export type OwnList = 'blocking' | 'muting';

export interface MuteResult {
  /** Whether the token's user mutes the target now. */
  muting: boolean;
}

/** Why a requested user is missing from a many-users lookup. */
export interface MissingUser {
  value: string;
  reason: 'not-found' | 'suspended' | 'protected' | 'unknown';
}

export const ID_PATTERN = /^[0-9]{1,19}$/;
export const USERNAME_PATTERN = /^[A-Za-z0-9_]{1,15}$/;
