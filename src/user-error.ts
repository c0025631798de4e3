/**
 * A failure whose words are written for the person who caused it: safe to show as-is, in plain
 * words, in their language. Everything that is not a UserError is logged and answered with an
 * apology. `message` is the English, for the log.
 */
import { ENGLISH, type Translator, type Wording } from './i18n/translate.js';

export class UserError extends Error {
  override readonly name = 'UserError';

  readonly #wording: Wording;

  constructor(wording: Wording, options?: ErrorOptions) {
    super(wording(ENGLISH), options);
    this.#wording = wording;
  }

  /** The words in the reader's language. */
  say(t: Translator): string {
    return this.#wording(t);
  }
}
