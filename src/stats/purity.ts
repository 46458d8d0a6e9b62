/**
 * Purity of a clustering against labels: the share of items whose cluster's
 * majority label is their own label. 1 when every cluster holds one label.
 */
export function purity(clusters: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (clusters.length === 0) return NaN;
  const counts = new Map<number, Map<number, number>>();
  for (let i = 0; i < clusters.length; i++) {
    const byLabel = counts.get(clusters[i]) ?? new Map<number, number>();
    byLabel.set(labels[i], (byLabel.get(labels[i]) ?? 0) + 1);
    counts.set(clusters[i], byLabel);
  }
  let majority = 0;
  for (const byLabel of counts.values()) majority += Math.max(...byLabel.values());
  return majority / clusters.length;
}
