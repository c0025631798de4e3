/**
 * Which endpoint a request is for: the route templates the emulator serves (the names its rate
 * limits, plan refusals and request log use), matched against the concrete path.
 */
import { BLOCKS_MUTES_ROUTES } from './blocks-mutes.js';

const ROUTES: [string, RegExp][] = [
  ['POST /2/activity/subscriptions', /^\/2\/activity\/subscriptions$/],
  ['GET /2/activity/subscriptions', /^\/2\/activity\/subscriptions$/],
  ['PUT /2/activity/subscriptions/:id', /^\/2\/activity\/subscriptions\/(?<id>[^/]+)$/],
  ['DELETE /2/activity/subscriptions/:id', /^\/2\/activity\/subscriptions\/(?<id>[^/]+)$/],
  ['GET /2/activity/stream', /^\/2\/activity\/stream$/],
  ['GET /2/users/me', /^\/2\/users\/me$/],
  ...BLOCKS_MUTES_ROUTES,
  ['GET /2/users/by/username/:username', /^\/2\/users\/by\/username\/(?<username>[^/]+)$/],
  ['GET /2/users/by', /^\/2\/users\/by$/],
  ['GET /2/users/:id/followers', /^\/2\/users\/(?<id>[^/]+)\/followers$/],
  ['GET /2/users/:id/following', /^\/2\/users\/(?<id>[^/]+)\/following$/],
  ['POST /2/users/:id/following', /^\/2\/users\/(?<id>[^/]+)\/following$/],
  [
    'DELETE /2/users/:source_user_id/following/:target_user_id',
    /^\/2\/users\/(?<source_user_id>[^/]+)\/following\/(?<target_user_id>[^/]+)$/,
  ],
  ['GET /2/users/:id', /^\/2\/users\/(?<id>[^/]+)$/],
  ['GET /2/users', /^\/2\/users$/],
];

export function matchRoute(
  method: string,
  path: string,
): { endpoint: string; params: Record<string, string> } | undefined {
  for (const [endpoint, pattern] of ROUTES) {
    const match = endpoint.startsWith(`${method} `) ? pattern.exec(path) : null;
    if (match) return { endpoint, params: { ...match.groups } };
  }
  return undefined;
}
