/**
 * What people type to name an X account: `@name`, `name`, a profile URL from x.com or
 * twitter.com (www., mobile., with or without a scheme, a query string or a trailing slash,
 * even wrapped in <> as Discord users do to suppress an embed), or a numeric id. Anything else
 * is refused here, before any request to X.
 */
import { UserError } from '../user-error.js';
import { ID_PATTERN, USERNAME_PATTERN } from './types.js';

export type UserRef = { kind: 'username'; username: string } | { kind: 'id'; id: string };

const HOSTS = new Set([
  'x.com',
  'twitter.com',
  'www.x.com',
  'www.twitter.com',
  'mobile.x.com',
  'mobile.twitter.com',
]);

/** Paths of x.com that are pages, not profiles: `x.com/home` names no account. */
const RESERVED = new Set([
  'home',
  'explore',
  'search',
  'notifications',
  'messages',
  'settings',
  'compose',
  'intent',
  'login',
  'logout',
  'signup',
  'tos',
  'privacy',
  'about',
  'jobs',
  'i',
  'hashtag',
  'share',
]);

/** Tabs of a profile page; `x.com/name/followers` still names `name`. */
const PROFILE_TABS = new Set([
  '',
  'followers',
  'following',
  'verified_followers',
  'with_replies',
  'media',
  'likes',
  'highlights',
  'articles',
  'status',
]);

export class InvalidUserRefError extends UserError {}

export function parseUserRef(input: string): UserRef {
  const text = input
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim();
  const refuse = (): never => {
    throw new InvalidUserRefError((t) => t('errors:not-an-account'));
  };
  if (!text || text.length > 200) refuse();

  if (text.startsWith('@')) {
    const name = text.slice(1);
    return USERNAME_PATTERN.test(name) ? { kind: 'username', username: name } : refuse();
  }
  if (ID_PATTERN.test(text)) return { kind: 'id', id: text };
  if (USERNAME_PATTERN.test(text)) return { kind: 'username', username: text };

  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return refuse();
  }
  if (!['http:', 'https:'].includes(url.protocol) || !HOSTS.has(url.hostname.toLowerCase())) refuse();
  const segments = url.pathname.replace(/\/+$/, '').split('/').slice(1);
  const [first = '', second, third] = segments;

  // x.com/i/user/<id> is the id form of a profile link.
  if (first === 'i' && second === 'user' && third && ID_PATTERN.test(third) && segments.length === 3) {
    return { kind: 'id', id: third };
  }
  if (!USERNAME_PATTERN.test(first) || RESERVED.has(first.toLowerCase())) refuse();
  if (second !== undefined && !PROFILE_TABS.has(second.toLowerCase())) refuse();
  return { kind: 'username', username: first };
}
