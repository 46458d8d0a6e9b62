import { convSignatureOf, type ExperimentSpec } from '../spec/schema.ts';
import { pct } from '../util/format.ts';

/** The architecture in one line, e.g. `784 → 128 → 64 → 2 (relu)` or `28×28 → conv 8 (3×3, pool) → dense 64 → 2 (relu)`. */
export function describeModel(spec: ExperimentSpec, shape: { width: number; height: number }): string {
  const m = spec.model;
  const act = (a?: string) => (a && a !== m.activation ? ` ${a}` : '');
  const parts: string[] = [m.type === 'cnn' ? `${shape.width}×${shape.height}` : String(shape.width * shape.height)];
  for (const c of m.conv) parts.push(`conv ${c.filters} (${c.kernel}×${c.kernel}${c.pool ? ', pool' : ''}${act(c.activation)})`);
  for (const h of m.hidden) parts.push(typeof h === 'number' ? (m.type === 'cnn' ? `dense ${h}` : String(h)) : `${m.type === 'cnn' ? 'dense ' : ''}${h.units}${act(h.activation)}`);
  parts.push(String(spec.dataset.classes.length));
  const extras = [m.activation, ...(m.batchNorm ? ['batch norm'] : []), ...(m.dropout > 0 ? [`dropout ${m.dropout}`] : [])];
  return `${parts.join(' → ')} (${extras.join(', ')})`;
}

interface ReadLayer {
  name: string;
  reduction?: { mapUnits: number; explained: number; fitRows: number };
}

/**
 * How the conv layers' signatures were read, in a sentence (null without conv
 * layers); for PCA, with the share of each map's variance kept, averaged over
 * `runs` (each seed's model has its own fit).
 */
export function describeConvSignature(spec: ExperimentSpec, runs: { layers: ReadLayer[] }[]): string | null {
  if (spec.model.conv.length === 0) return null;
  const conv = convSignatureOf(spec);
  if (conv.kind === 'mean') return "A conv layer's signature is each channel's activation averaged over its map: one unit per channel.";
  const read = (runs[0]?.layers ?? []).filter((l) => l.reduction);
  const kept = read.map((l) => {
    const shares = runs.map((r) => r.layers.find((x) => x.name === l.name)?.reduction?.explained ?? 0);
    return `${pct(shares.reduce((a, b) => a + b, 0) / shares.length, 0)} of ${l.name}'s ${l.reduction!.mapUnits.toLocaleString('en')} values`;
  });
  const rows = read[0]?.reduction?.fitRows;
  return (
    `A conv layer's signature is its flattened map projected on its top ${conv.components} principal components, fitted for each model on ${rows ? rows.toLocaleString('en') : 'a seeded sample of'} training inputs` +
    (kept.length ? `; they keep ${kept.join(' and ')} of variance${runs.length > 1 ? ' (mean over seeds)' : ''}` : '') +
    '. A component is not a neuron: these layers have no specific path.'
  );
}
