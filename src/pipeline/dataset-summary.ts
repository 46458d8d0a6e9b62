import { encodeInput } from '../data/image.ts';
import type { Dataset } from '../data/types.ts';
import type { Result } from '../results/schema.ts';

const SAMPLES_PER_CLASS = 8;

/** What the site shows of the data: counts, a few inputs per class, and each class's mean image. */
export function datasetSummary(data: Dataset): Result['dataset'] {
  const counts: Result['dataset']['counts'] = [];
  for (const split of ['train', 'test', 'probe'] as const) {
    const byLabel = new Map<number, number>();
    for (const l of data[split].labels) byLabel.set(l, (byLabel.get(l) ?? 0) + 1);
    for (const [label, count] of [...byLabel].sort((a, b) => a[0] - b[0])) counts.push({ split, label, count });
  }
  const samples: Result['dataset']['samples'] = [];
  const sums = new Map<number, { sum: Float64Array; n: number }>();
  let offset = 0;
  for (const split of ['train', 'test', 'probe'] as const) {
    const s = data[split];
    const taken = new Map<number, number>();
    for (let i = 0; i < s.count; i++) {
      const label = s.labels[i];
      if (split !== 'test' && (taken.get(label) ?? 0) < SAMPLES_PER_CLASS) {
        samples.push({ label, split, index: s.sourceIndex[i], pixels: encodeInput(data, offset + i) });
        taken.set(label, (taken.get(label) ?? 0) + 1);
      }
      const acc = sums.get(label) ?? { sum: new Float64Array(data.features), n: 0 };
      for (let j = 0; j < data.features; j++) acc.sum[j] += s.x[i * data.features + j];
      acc.n++;
      sums.set(label, acc);
    }
    offset += s.count;
  }
  const meanImages = [...sums]
    .sort((a, b) => a[0] - b[0])
    .map(([label, { sum, n }]) => ({ label, pixels: Buffer.from(Uint8Array.from(sum, (v) => Math.round((255 * v) / n))).toString('base64') }));
  return {
    name: data.name,
    identity: data.identity,
    width: data.width,
    height: data.height,
    classes: data.classes,
    probes: data.probes,
    names: data.names,
    counts,
    samples,
    meanImages,
  };
}
