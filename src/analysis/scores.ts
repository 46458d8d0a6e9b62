// The per-layer out-of-distribution scores, in the order figures and tables
// list them. A module of its own, importing nothing: the site's figures read
// it without loading the analysis (whose k-NN search loads a WebAssembly
// kernel from a file beside its module, which a site build does not copy).

export const SCORES = ['mahalanobis', 'relative-mahalanobis', 'knn', 'centroid'] as const;
export type ScoreName = (typeof SCORES)[number];
