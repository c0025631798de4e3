/**
 * A failure whose message is written for the person who caused it: safe to show as-is, in
 * plain words. Everything that is not a UserError is logged and answered with an apology.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}
