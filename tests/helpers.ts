import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentSpec, type ExperimentInput } from '../src/spec/schema.ts';

/** A small, fast experiment: 1 vs 7 on a subset, probed with 3. */
export function tinySpec(overrides: Partial<ExperimentInput> = {}): ExperimentSpec {
  return ExperimentSpec.parse({
    title: 'tiny',
    dataset: { classes: [1, 7], probes: [3], samplesPerClass: 150 },
    model: { hidden: [32, 16] },
    training: { epochs: 4, batchSize: 32 },
    signatures: { k: 3, restarts: 2 },
    ...overrides,
  });
}

export function tempDir(prefix = 'chemins-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
