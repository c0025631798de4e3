/**
 * What people read when X says no: plain words in their language, never X's own text or a status
 * code. The log keeps the details.
 */
import { TimestampStyles, time } from 'discord.js';
import { ENGLISH, type Translator, type Wording } from '../i18n/translate.js';
import { UserError } from '../user-error.js';
import { type XBudgetExceededError, XError, type XRateLimitedError } from '../x/index.js';

/** `who` names the account as the person named it (`@jack`, "the account with id 12"). */
export function xErrorText(error: XError, t: Translator, who?: Wording): string | undefined {
  const name = () => (who ?? ((t: Translator) => t('errors:x.that-account')))(t);
  switch (error.kind) {
    case 'not-found':
      return t('errors:x.not-found', { who: name() });
    case 'suspended':
      return capitalize(t('errors:x.suspended', { who: name() }));
    case 'protected':
      return capitalize(t('errors:x.protected', { who: name() }));
    case 'rate-limited':
      return t('errors:x.rate-limited', { when: relative((error as XRateLimitedError).resetAt) });
    case 'budget-exceeded':
      return t('errors:x.budget-exceeded', { when: relative((error as XBudgetExceededError).resetAt) });
    case 'not-enrolled':
      return t('errors:x.not-enrolled');
    case 'unavailable':
      return t('errors:x.unavailable');
    default:
      // unauthorized (the app's own token), forbidden and invalid requests are the operator's problem.
      return undefined;
  }
}

/** Discord shows a relative timestamp in the reader's own language ("in 3 minutes", "3分後"). */
const relative = (at: number) => time(Math.ceil(at / 1000), TimestampStyles.RelativeTime);

/** A sentence may start with "that account"; scripts without case are left as they are. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a reference names an account in a message. */
export function refLabel(ref: { kind: 'username'; username: string } | { kind: 'id'; id: string }): Wording {
  return (t) => (ref.kind === 'username' ? `@${ref.username}` : t('errors:x.account-by-id', { id: ref.id }));
}

/** Runs `fn`; an X failure that people can act on becomes a UserError naming the account. */
export async function explainXErrors<T>(who: Wording, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof XError && xErrorText(error, ENGLISH, who) !== undefined)
      throw new UserError((t) => xErrorText(error, t, who) ?? t('errors:apology'), { cause: error });
    throw error;
  }
}
