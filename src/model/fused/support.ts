import type { ExperimentSpec } from '../../spec/schema.ts';

/** Weighted layers (hidden layers + logits) the kernel takes. */
export const MAX_LAYERS = 16;

/** Why the fused kernel cannot train a model, or null when it can. */
export function fusedUnsupported(model: ExperimentSpec['model']): string | null {
  if (model.type === 'cnn') return 'it trains MLPs, and this model has conv layers';
  if (model.dropout > 0) return 'it has no dropout';
  if (model.batchNorm) return 'it has no batch normalization';
  if (model.hidden.length + 1 > MAX_LAYERS) return `it takes at most ${MAX_LAYERS - 1} hidden layers`;
  return null;
}
