import { FieldError } from '../spec/errors.ts';
import { seededRandom, shuffle } from '../util/random.ts';
import { loadDigit, mnistIdentity, MNIST_SIZE } from './mnist.ts';
import { idxIdentityOf, loadIdxData } from './idx-dataset.ts';
import { loadOutliers, outlierFolder, outlierIdentity, OUTLIER_LABEL, OUTLIER_NAME } from './outliers.ts';
import type { DataInput, Dataset, Split } from './types.ts';

export type { DataInput, Dataset, Split } from './types.ts';

interface Row {
  digit: number;
  index: number;
}

function toSplit(rows: Row[]): Split {
  const features = MNIST_SIZE * MNIST_SIZE;
  const x = new Float32Array(rows.length * features);
  const labels = new Int32Array(rows.length);
  const sourceIndex = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    const { pixels } = loadDigit(r.digit);
    x.set(pixels.subarray(r.index * features, (r.index + 1) * features), i * features);
    labels[i] = r.digit;
    sourceIndex[i] = r.index;
  });
  return { x, labels, sourceIndex, count: rows.length };
}

/** A seeded choice of up to `n` images of one digit, in shuffled order. */
function pick(digit: number, n: number, seed: number): Row[] {
  const { count } = loadDigit(digit);
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i),
    seededRandom(seed * 1009 + digit),
  ) as number[];
  return order.slice(0, Math.min(n, count)).map((index) => ({ digit, index }));
}

/**
 * Selects the trained classes and the probes, and splits the trained classes
 * into train and test with the same share per class (stratified). The same
 * input always gives the same split.
 */
export function loadData(input: DataInput, baseDir = process.cwd()): Dataset {
  if (input.name === 'idx') return loadIdxData(input, baseDir);
  const train: Row[] = [];
  const test: Row[] = [];
  for (const digit of input.classes) {
    const rows = pick(digit, input.samplesPerClass, input.seed);
    const nTest = Math.max(1, Math.round(rows.length * input.testFraction));
    if (rows.length - nTest < 2) {
      throw new FieldError(
        'dataset.testFraction',
        `holds out ${nTest} of the ${rows.length} inputs of class ${digit}, leaving ${rows.length - nTest} to train on`,
        'Lower dataset.testFraction or raise dataset.samplesPerClass so that each class keeps at least two training inputs.',
      );
    }
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  // Interleave the classes so that batches drawn in order are mixed.
  const random = seededRandom(input.seed + 7);
  shuffle(train, random);
  shuffle(test, random);
  const probe = toSplit(input.probes.flatMap((digit) => pick(digit, input.samplesPerClass, input.seed)));
  const probes = [...input.probes];
  const names: Record<string, string> = { ...input.names };
  const outliers = outlierFolder(input.outliers);
  if (outliers) {
    const far = loadOutliers(outliers, input.outlierCount, input.seed);
    probes.push(OUTLIER_LABEL);
    names[String(OUTLIER_LABEL)] = OUTLIER_NAME;
    const n = far.sourceIndex.length;
    const x = new Float32Array(probe.x.length + far.x.length);
    x.set(probe.x);
    x.set(far.x, probe.x.length);
    const labels = new Int32Array(probe.count + n);
    labels.set(probe.labels);
    labels.fill(OUTLIER_LABEL, probe.count);
    const sourceIndex = new Int32Array(probe.count + n);
    sourceIndex.set(probe.sourceIndex);
    sourceIndex.set(far.sourceIndex, probe.count);
    Object.assign(probe, { x, labels, sourceIndex, count: probe.count + n });
  }
  return {
    name: 'mnist',
    identity: datasetIdentity(input),
    width: MNIST_SIZE,
    height: MNIST_SIZE,
    features: MNIST_SIZE * MNIST_SIZE,
    classes: [...input.classes],
    probes,
    names,
    train: toSplit(train),
    test: toSplit(test),
    probe,
  };
}

/** What identifies the data an experiment reads, without selecting it: part of the result's hash. */
export function datasetIdentity(input: DataInput, baseDir = process.cwd()): string {
  if (input.name === 'idx') return `idx ${idxIdentityOf(input, baseDir)}`;
  const outliers = outlierFolder(input.outliers);
  return [mnistIdentity([...input.classes, ...input.probes]), ...(outliers ? [outlierIdentity(outliers)] : [])].join(' ');
}
