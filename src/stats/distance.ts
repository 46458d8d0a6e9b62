/** Squared Euclidean distance between row `i` of `a` and row `j` of `b`, both `width` wide. */
export function squaredDistance(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, width: number): number {
  let sum = 0;
  const ai = i * width;
  const bj = j * width;
  for (let d = 0; d < width; d++) {
    const diff = a[ai + d] - b[bj + d];
    sum += diff * diff;
  }
  return sum;
}
