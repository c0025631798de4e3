/**
 * Faults on demand: the next N matching requests answered with a status, slowed down (before or
 * after X acts on them), left hanging, or cut off, so clients can be tested against X's bad days.
 */
export type FaultAction =
  | { status: 429 | 500 | 502 | 503 | 504 }
  | { latencyMs: number }
  /** Processed at once, answered late: the client waits while X has already acted. */
  | { answerAfterMs: number }
  | { hang: true }
  | { drop: true };

export type FaultRule = FaultAction & {
  /** Matches `METHOD /path` (the concrete path, without the query); all requests when absent. */
  match?: RegExp | string;
  /** How many requests it applies to; default 1. */
  times?: number;
};

export class Faults {
  #rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Takes the first rule that matches this request, if any. */
  take(method: string, path: string): FaultAction | undefined {
    const target = `${method} ${path}`;
    const rule = this.#rules.find(
      (r) =>
        r.left > 0 &&
        (r.match === undefined ||
          (typeof r.match === 'string' ? target.includes(r.match) : r.match.test(target))),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    this.#rules = this.#rules.filter((r) => r.left > 0);
    return rule;
  }
}
