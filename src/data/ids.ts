import { OUTLIER_LABEL } from './outliers.ts';
import type { Dataset } from './types.ts';

/**
 * A stable id for every input (train, test, probe order), naming where the
 * image comes from, so that the same image has the same id in every file and
 * every build:
 *
 * - `mnist:<digit>:<index>`: the `mnist` package's `index`-th image of `digit`;
 * - `idx:train:<row>`, `idx:test:<row>`: a row of an IDX dataset's train or
 *   test (t10k) file (the test file also gives the probes);
 * - `fashion-mnist:test:<row>`: a far outlier, a row of Fashion-MNIST's test file.
 */
export function inputIds(data: Dataset): string[] {
  const ids: string[] = [];
  for (const split of ['train', 'test', 'probe'] as const) {
    const s = data[split];
    for (let i = 0; i < s.count; i++) {
      const label = s.labels[i];
      const index = s.sourceIndex[i];
      if (data.name === 'idx') ids.push(`idx:${split === 'train' ? 'train' : 'test'}:${index}`);
      else if (label === OUTLIER_LABEL) ids.push(`fashion-mnist:test:${index}`);
      else ids.push(`${data.name}:${label}:${index}`);
    }
  }
  return ids;
}
