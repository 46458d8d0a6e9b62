import { existsSync } from 'node:fs';
import { FieldError, MissingData } from '../spec/errors.ts';
import { isAbsolute, resolve } from 'node:path';
import { seededRandom, shuffle } from '../util/random.ts';
import { idxFolderIdentity, loadIdxFolder, unitRows, type IdxFolder, type IdxSplit } from './idx.ts';
import type { DataInput, Dataset, Split } from './types.ts';

// An IDX dataset at full size: the train file gives the training split, the
// test file the test split and the probes, each capped per class by
// `samplesPerClass` with a seeded choice. The folder's four files are read
// once per process; their digests are the dataset's identity.

const folders = new Map<string, IdxFolder>();
const identities = new Map<string, string>();

/** The folder an experiment names, which must exist. */
function folderPath(input: Pick<DataInput, 'folder'>, baseDir: string): string {
  const dir = isAbsolute(input.folder!) ? input.folder! : resolve(baseDir, input.folder!);
  if (!existsSync(dir)) {
    const debian = dir.startsWith('/usr/share/datasets/fashion-mnist')
      ? ' It is where `apt-get install dataset-fashion-mnist` (Debian) puts Fashion-MNIST.'
      : '';
    throw new MissingData(
      'dataset.folder',
      `the folder ${dir} does not exist on this machine.${debian}`,
      `Install the dataset there, or point dataset.folder at a folder of IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and their t10k- counterparts).`,
    );
  }
  return dir;
}

const unreadable = (e: unknown) =>
  new FieldError(
    'dataset.folder',
    (e as Error).message,
    'Point dataset.folder at a folder of IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and their t10k- counterparts), whole and readable.',
  );

export function idxFolderOf(input: Pick<DataInput, 'folder' | 'prefix'>, baseDir: string): IdxFolder {
  const dir = folderPath(input, baseDir);
  const key = `${dir}\0${input.prefix}`;
  let folder = folders.get(key);
  if (!folder) {
    try {
      folder = loadIdxFolder(dir, input.prefix);
    } catch (e) {
      throw unreadable(e);
    }
    folders.set(key, folder);
  }
  return folder;
}

/** The folder's identity (its files' names and digests), as `idxFolderOf` gives it, without reading the images: all a stored result's check needs. */
export function idxIdentityOf(input: Pick<DataInput, 'folder' | 'prefix'>, baseDir: string): string {
  const dir = folderPath(input, baseDir);
  const key = `${dir}\0${input.prefix}`;
  const loaded = folders.get(key);
  if (loaded) return loaded.identity;
  let id = identities.get(key);
  if (!id) {
    try {
      id = idxFolderIdentity(dir, input.prefix);
    } catch (e) {
      throw unreadable(e);
    }
    identities.set(key, id);
  }
  return id;
}

/** Seeded choice of at most `cap` rows of each class, in shuffled order. */
function rowsOf(split: IdxSplit, classes: number[], cap: number, seed: number, where: string, field: string): number[] {
  const byClass = new Map<number, number[]>(classes.map((c) => [c, []]));
  const labels = split.labels.labels;
  for (let i = 0; i < labels.length; i++) byClass.get(labels[i])?.push(i);
  const out: number[] = [];
  for (const c of classes) {
    const rows = byClass.get(c)!;
    if (rows.length === 0)
      throw new FieldError(
        field,
        `class ${c} has no input in ${where} (${split.files.labels})`,
        `Use classes that the dataset's labels hold (labels found: ${[...new Set(labels)].sort((a, b) => a - b).join(', ')}).`,
      );
    if (rows.length < 2 && field === 'dataset.classes')
      throw new FieldError(
        field,
        `class ${c} has only ${rows.length} input in ${where}: too few to train or test on`,
        'Drop the class, or use a dataset with more of it.',
      );
    out.push(...(shuffle(rows, seededRandom(seed * 1009 + c)) as number[]).slice(0, cap));
  }
  return shuffle(out, seededRandom(seed + 7)) as number[];
}

function toSplit(split: IdxSplit, rows: number[]): Split {
  return {
    x: unitRows(split.images, rows),
    labels: Int32Array.from(rows, (r) => split.labels.labels[r]),
    sourceIndex: Int32Array.from(rows),
    count: rows.length,
  };
}

export function loadIdxData(input: DataInput, baseDir: string): Dataset {
  const folder = idxFolderOf(input, baseDir);
  const cap = input.samplesPerClass;
  return {
    name: 'idx',
    identity: `idx ${folder.identity}`,
    width: folder.train.images.cols,
    height: folder.train.images.rows,
    features: folder.train.images.rows * folder.train.images.cols,
    classes: [...input.classes],
    probes: [...input.probes],
    names: { ...input.names },
    train: toSplit(folder.train, rowsOf(folder.train, input.classes, cap, input.seed, 'the train file', 'dataset.classes')),
    test: toSplit(folder.test, rowsOf(folder.test, input.classes, cap, input.seed, 'the test file', 'dataset.classes')),
    probe: toSplit(folder.test, input.probes.length ? rowsOf(folder.test, input.probes, cap, input.seed, 'the test file', 'dataset.probes') : []),
  };
}
