/**
 * X's follow intent: a page on x.com where a signed-in person follows an account themselves,
 * with no API call and no plan behind it. Flock offers it where its X plan refuses following
 * (X removed follow and unfollow from self-serve plans in April 2026) and on every profile card.
 */
import { ID_PATTERN, USERNAME_PATTERN } from '../x/index.js';

const FOLLOW_INTENT = 'https://x.com/intent/follow';

/**
 * `https://x.com/intent/follow?screen_name=<username>`, or `?user_id=<id>` when the username is
 * not one X could have issued; undefined when neither is (X sent odd data: better no button
 * than one that follows someone else). Only values that passed X's own patterns go in, and
 * URLSearchParams encodes them, so nothing from X can add a parameter or move the host.
 */
export function followIntentUrl(user: { id: string; username: string }): string | undefined {
  let params: URLSearchParams;
  if (USERNAME_PATTERN.test(user.username)) params = new URLSearchParams({ screen_name: user.username });
  else if (ID_PATTERN.test(user.id)) params = new URLSearchParams({ user_id: user.id });
  else return undefined;
  return `${FOLLOW_INTENT}?${params}`;
}
