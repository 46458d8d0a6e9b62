import type { ExperimentSpec } from '../spec/schema.ts';

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
