// How numbers and labels read everywhere (statements, captions, pages).

export const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;

/** A label's display name from an experiment's `names` (e.g. "Fashion-MNIST" for -1), else the number. */
export const nameOf = (names: Record<string, string>, label: number) => names[String(label)] ?? String(label);
