/** The store cannot be opened as configured; the message is one line an operator can act on. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}
