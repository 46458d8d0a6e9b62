/** One split's inputs, row-major: `x` holds `count × features` values in [0, 1]. */
export interface Split {
  x: Float32Array;
  /** The digit (dataset label) of each row. */
  labels: Int32Array;
  /** Index of each row in the source dataset's class, so an image can be found again. */
  sourceIndex: Int32Array;
  count: number;
}

export interface Dataset {
  name: string;
  /** Identifies the exact data read: package version and a digest of the files. */
  identity: string;
  width: number;
  height: number;
  features: number;
  classes: number[];
  /** Probe labels: unseen classes, then OUTLIER_LABEL (-1) when far outliers are included. */
  probes: number[];
  /** Display name of each label, e.g. `{"-1": "Fashion-MNIST"}`; a label without one is shown as its number. */
  names: Record<string, string>;
  train: Split;
  test: Split;
  probe: Split;
}

/** What the data stage reads: the experiment file's `dataset`. */
export type DataInput = import('../spec/schema.ts').ExperimentSpec['dataset'];
