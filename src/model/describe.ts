import { convSignatureOf, type ExperimentSpec } from '../spec/schema.ts';
import { pct } from '../util/format.ts';

/** The architecture in one line, e.g. `784 → 128 → 64 → 2 (relu)` or `28×28 → conv 8 (3×3, pool) → dense 64 → 2 (relu)`. */
export function describeModel(spec: ExperimentSpec, shape: { width: number; height: number }): string {
  const m = spec.model;
  const act = (a?: string) => (a && a !== m.activation ? ` ${a}` : '');
  const parts: string[] = [m.type === 'cnn' ? `${shape.width}×${shape.height}` : String(shape.width * shape.height)];
  for (const c of m.conv) parts.push(`conv ${c.filters} (${c.kernel}×${c.kernel}${c.pool ? ', pool' : ''}${act(c.activation)})`);
  for (const h of m.hidden)
    parts.push(typeof h === 'number' ? (m.type === 'cnn' ? `dense ${h}` : String(h)) : `${m.type === 'cnn' ? 'dense ' : ''}${h.units}${act(h.activation)}`);
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
export function describeConvSignature(spec: ExperimentSpec, runs: { layers: ReadLayer[] }[], lang: 'en' | 'fr' = 'en'): string | null {
  if (spec.model.conv.length === 0) return null;
  const fr = lang === 'fr';
  const conv = convSignatureOf(spec);
  if (conv.kind === 'mean')
    return fr
      ? 'L’activation d’une couche de convolution est celle de chaque canal moyennée sur sa carte\u00A0: une unité par canal.'
      : "A conv layer's activation is each channel's activation averaged over its map: one unit per channel.";
  const share = (x: number) => (fr ? `${Math.round(100 * x)}\u202F%` : pct(x, 0));
  const read = (runs[0]?.layers ?? []).filter((l) => l.reduction);
  const kept = read.map((l) => {
    const shares = runs.map((r) => r.layers.find((x) => x.name === l.name)?.reduction?.explained ?? 0);
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    return fr
      ? `${share(mean)} des ${l.reduction!.mapUnits.toLocaleString('fr-FR').replace(/\u00A0/g, '\u202F')} valeurs de ${l.name}`
      : `${share(mean)} of ${l.name}'s ${l.reduction!.mapUnits.toLocaleString('en')} values`;
  });
  const rows = read[0]?.reduction?.fitRows;
  if (fr)
    return (
      `L’activation d’une couche de convolution est sa carte aplatie projetée sur ses ${conv.components} premières composantes principales, ajustées pour chaque modèle sur ${rows ? rows.toLocaleString('fr-FR').replace(/\u00A0/g, '\u202F') : 'un échantillon (avec graine) d’'} entrées d’entraînement` +
      (kept.length ? `\u202F; elles gardent ${kept.join(' et ')} de variance${runs.length > 1 ? ' (moyenne sur les graines)' : ''}` : '') +
      '. Une composante n’est pas un neurone\u00A0: ces couches n’ont pas de chemin spécifique.'
    );
  return (
    `A conv layer's activation is its flattened map projected on its top ${conv.components} principal components, fitted for each model on ${rows ? rows.toLocaleString('en') : 'a seeded sample of'} training inputs` +
    (kept.length ? `; they keep ${kept.join(' and ')} of variance${runs.length > 1 ? ' (mean over seeds)' : ''}` : '') +
    '. A component is not a neuron: these layers have no specific path.'
  );
}
