/** Counts as Flock writes them: whole below 10,000, compact (12.3K) from there. */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US');

export const formatCount = (n: number) => (n < 10_000 ? whole.format(n) : compact.format(n));
export const formatWhole = (n: number) => whole.format(n);
