/**
 * What people read when X says no: plain words, never X's own text or a status code. The
 * log keeps the details.
 */
import { TimestampStyles, time } from 'discord.js';
import { UserError } from '../user-error.js';
import { type XBudgetExceededError, XError, type XRateLimitedError } from '../x/index.js';

export interface AccountLabel {
  /** How the person named the account, e.g. `@jack` or `id 12`. */
  label: string;
}

export function xErrorText(error: XError, account?: AccountLabel): string | undefined {
  const who = account?.label ?? 'that account';
  switch (error.kind) {
    case 'not-found':
      return `I couldn't find ${who} on X. Check the spelling, or try a profile link.`;
    case 'suspended':
      return `${capitalize(who)} is suspended on X, so there is nothing to show.`;
    case 'protected':
      return `${capitalize(who)} is protected: only approved followers can see its lists.`;
    case 'rate-limited': {
      const reset = (error as XRateLimitedError).resetAt;
      return `X is limiting how often I can ask right now. Try again ${time(Math.ceil(reset / 1000), TimestampStyles.RelativeTime)}.`;
    }
    case 'budget-exceeded': {
      const reset = (error as XBudgetExceededError).resetAt;
      return `This server's bot has used today's X budget. Lists come back ${time(Math.ceil(reset / 1000), TimestampStyles.RelativeTime)}.`;
    }
    case 'not-enrolled':
      return "This bot's X app can't do that: its X plan doesn't include this feature. The bot's operator can change the plan in the X developer portal.";
    case 'unavailable':
      return 'X is not answering, try again shortly.';
    default:
      // unauthorized (the app's own token), forbidden and invalid requests are the operator's problem.
      return undefined;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a reference names an account in a message. */
export function refLabel(ref: { kind: 'username'; username: string } | { kind: 'id'; id: string }): string {
  return ref.kind === 'username' ? `@${ref.username}` : `the account with id ${ref.id}`;
}

/** Runs `fn`; an X failure that people can act on becomes a UserError naming the account. */
export async function explainXErrors<T>(label: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const text = error instanceof XError ? xErrorText(error, { label }) : undefined;
    if (text) throw new UserError(text, { cause: error });
    throw error;
  }
}
