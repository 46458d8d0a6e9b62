// One colour per digit across the whole site: Paul Tol's "muted" scheme,
// designed to stay distinct under the common colour-vision deficiencies.
const MUTED = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#6e6e6e'];

// Far outliers (label -1) are no digit: Tol's vibrant orange sits apart from
// every muted hue and keeps its contrast on a light and a dark page alike.
const OUTLIER = '#EE7733';

export function classColor(label: number): string {
  if (label < 0) return OUTLIER;
  return MUTED[label % MUTED.length];
}

/**
 * A Plot colour scale that gives each label its site-wide colour; `name`
 * turns a label into the value the marks use (e.g. its display name).
 */
export function classScale(labels: number[], name: (label: number) => string = String) {
  const sorted = [...new Set(labels)].sort((a, b) => a - b);
  return { type: 'ordinal' as const, domain: sorted.map(name), range: sorted.map(classColor) };
}

// Series that are not classes (splits, statistics, scores) take Tol's
// "vibrant" hues minus its orange, so that no line reads as a class.
const SERIES = ['#0077BB', '#CC3311', '#009988', '#EE3377', '#33BBEE', '#BBBBBB'];

/** A colour scale for series that are not classes, in the order given. */
export function seriesScale(domain: string[]) {
  return { type: 'ordinal' as const, domain, range: domain.map((_, i) => SERIES[i % SERIES.length]) };
}
