import type * as tfType from '@tensorflow/tfjs';
import type { ExperimentSpec } from '../spec/schema.ts';

/**
 * The MLP of the spec: one dense layer per hidden width, then a linear layer
 * with one logit per trained class. Weights are drawn from seeded
 * initialisers so the same seed gives the same network.
 */
export function buildMlp(tf: typeof tfType, spec: ExperimentSpec, features: number, seed: number): { model: tfType.Sequential; hiddenLayers: string[] } {
  const model = tf.sequential();
  const hiddenLayers: string[] = [];
  spec.model.hidden.forEach((units, i) => {
    const name = `hidden${i + 1}`;
    hiddenLayers.push(name);
    model.add(
      tf.layers.dense({
        name,
        units,
        activation: spec.model.activation,
        inputShape: i === 0 ? [features] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + i }),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      name: 'logits',
      units: spec.dataset.classes.length,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 101 + 99 }),
    }),
  );
  return { model, hiddenLayers };
}
