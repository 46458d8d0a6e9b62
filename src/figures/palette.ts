// One colour per digit across the whole site: Paul Tol's "muted" scheme,
// designed to stay distinct under the common colour-vision deficiencies.
const MUTED = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#6e6e6e'];

export function classColor(label: number): string {
  return MUTED[((label % MUTED.length) + MUTED.length) % MUTED.length];
}

/** A Plot colour scale that gives each label its site-wide colour. */
export function classScale(labels: number[]) {
  const domain = [...labels].sort((a, b) => a - b).map(String);
  return { type: 'ordinal' as const, domain, range: domain.map((d) => classColor(Number(d))) };
}
