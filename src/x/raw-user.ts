/** A user object as X sends it, and the one step that makes it Flock's XUser. */
import type { XUser } from './types.js';

export type RawUser = XUser & { public_metrics?: XUser['public_metrics'] & { post_count?: number } };

/** X's newest spec renames tweet_count to post_count; Flock reads either. */
export function normalizeUser(raw: RawUser): XUser {
  const metrics = raw.public_metrics;
  if (!metrics || metrics.tweet_count !== undefined || metrics.post_count === undefined) return raw;
  const { post_count, ...rest } = metrics;
  return { ...raw, public_metrics: { ...rest, tweet_count: post_count } };
}
