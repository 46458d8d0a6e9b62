// The agreement measures between seeds, their names and bounds, in the order
// the stability figure draws them. Apart from stability.ts, which computes
// them, so that the site's figures read this list without loading the
// analysis' kernels (a WebAssembly file the site's bundle does not carry).
export const AGREEMENT = [
  { key: 'clusterAri', label: 'cluster ARI', bounds: [-1, 1] },
  { key: 'pathAri', label: 'path ARI', bounds: [-1, 1] },
  { key: 'matchedOverlap', label: 'matched cluster overlap', bounds: [0, 1] },
  { key: 'cka', label: 'linear CKA', bounds: [0, 1] },
] as const;
