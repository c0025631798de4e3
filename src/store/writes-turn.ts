/**
 * A connection's writes' turn: work that writes, run one at a time in the order given, each once
 * those before it are done, whether they succeeded or not. Another connection's write (a sweep,
 * a checkpoint that takes the write lock) given the turn never meets this one's writes at SQLite's
 * lock, where one of them would wait in SQLite's busy handler.
 */
export class WritesTurn {
  #last: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  /** Work given the turn and not yet done: while there is any, a write must queue behind it. */
  get waiting(): number {
    return this.#waiting;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.#waiting += 1;
    const result = this.#last.then(work);
    const done = () => {
      this.#waiting -= 1;
    };
    this.#last = result.then(done, done);
    return result;
  }

  /** Resolves once all the work given so far is done. */
  idle(): Promise<unknown> {
    return this.#last;
  }
}
