/**
 * A one-way relation between accounts that X lists newest first: who an account blocks, who it
 * mutes. Adding an edge again keeps its first time, as repeating a mute changes nothing at X.
 */
interface Edge {
  at: number;
  /** Breaks ties between edges made in the same millisecond: later is newer. */
  seq: number;
}

export class Relation {
  /** source id → target id → edge */
  readonly #edges = new Map<string, Map<string, Edge>>();
  #seq = 0;

  constructor(private readonly now: () => number) {}

  /** Adds `source → target` now (or at `at`); returns whether it is new. */
  add(source: string, target: string, at = this.now()): boolean {
    const edges = this.#edges.get(source) ?? new Map<string, Edge>();
    this.#edges.set(source, edges);
    if (edges.has(target)) return false;
    edges.set(target, { at, seq: this.#seq++ });
    return true;
  }

  /** Returns whether there was such an edge. */
  remove(source: string, target: string): boolean {
    return this.#edges.get(source)?.delete(target) ?? false;
  }

  has(source: string, target: string): boolean {
    return this.#edges.get(source)?.has(target) ?? false;
  }

  /** Every target of `source`, newest first, including accounts that lists hide. */
  list(source: string): string[] {
    const edges = this.#edges.get(source) ?? new Map<string, Edge>();
    return [...edges.entries()]
      .sort(([, a], [, b]) => b.at - a.at || b.seq - a.seq)
      .map(([target]) => target);
  }
}
