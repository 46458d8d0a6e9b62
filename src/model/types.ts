import type * as tf from '@tensorflow/tfjs';

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  testLoss: number;
  testAccuracy: number;
}

export interface TrainedModel {
  model: tf.Sequential;
  /** Names of the hidden layers, input side first. */
  hiddenLayers: string[];
  /** The signature layers, with whether each is a conv map. */
  layers: import('./build.ts').SignatureLayer[];
  history: EpochRecord[];
  samplesPerSecond: number;
  trainMs: number;
}

export interface TrainProgress {
  onBatch?: (epoch: number, batch: number, batches: number) => void;
  onEpoch?: (record: EpochRecord, epochs: number) => void;
  /** Asks the fused kernel to time its phases (the benchmark does): told the milliseconds of each at the end. */
  onKernelProfile?: (phases: Record<string, number>) => void;
}
