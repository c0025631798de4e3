/**
 * A reason Flock cannot start, written for the operator as one line that names what to change.
 * `npm start` prints it as it is and exits with code 1, like a configuration error.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
