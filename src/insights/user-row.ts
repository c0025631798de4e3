/**
 * One X user as an insights read keeps it: a compact row with what the result pages show and what
 * the CSV export writes, so that neither asks X again. Rows are stored a page (up to 1,000) at a time.
 */
import type { UserField, XUser } from '../x/index.js';

/** Asked for on every page of a read: X bills per user returned, not per field. */
export const READ_FIELDS: readonly UserField[] = [
  'created_at',
  'location',
  'profile_image_url',
  'protected',
  'public_metrics',
  'url',
  'verified',
];

/** id, username, name, followers, following, posts, verified, protected, created_at, location, url, avatar. */
export type UserRow = [
  id: string,
  username: string,
  name: string,
  followers: number,
  following: number,
  posts: number,
  verified: 0 | 1,
  isProtected: 0 | 1,
  createdAt: string,
  location: string,
  url: string,
  avatar: string,
];

export function toRow(user: XUser): UserRow {
  const m = user.public_metrics;
  return [
    user.id,
    user.username,
    user.name,
    m?.followers_count ?? 0,
    m?.following_count ?? 0,
    m?.tweet_count ?? 0,
    user.verified ? 1 : 0,
    user.protected ? 1 : 0,
    user.created_at ?? '',
    user.location ?? '',
    user.url ?? '',
    user.profile_image_url ?? '',
  ];
}

/** The row as the XUser the list rendering takes. */
export function rowUser(row: UserRow): XUser {
  const [id, username, name, followers, following, posts, verified, isProtected, , , , avatar] = row;
  return {
    id,
    username,
    name,
    public_metrics: {
      followers_count: followers,
      following_count: following,
      tweet_count: posts,
      listed_count: 0,
    },
    verified: verified === 1,
    protected: isProtected === 1,
    ...(avatar ? { profile_image_url: avatar } : {}),
  };
}

/**
 * Which of `parts` partitions an id falls in. Comparing two lists holds one partition of ids in
 * memory at a time, so memory stays bounded however long the lists are; ids are X's numeric
 * strings, whose last digits spread evenly.
 */
export function partOf(id: string, parts: number): number {
  return parts <= 1 ? 0 : Number.parseInt(id.slice(-6), 10) % parts;
}
