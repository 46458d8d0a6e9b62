import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { seedNote } from './labels.ts';
import { cellText } from './marks.ts';
import type { FigureDef } from './types.ts';

const layerNames = (r: Result) => r.runs[0].layers.map((l) => l.name);

export const cka: FigureDef = {
  name: 'cka',
  title: 'How alike the layers represent the inputs',
  applies: (r) => r.runs[0].cka.length > 1,
  caption: (r) => {
    const names = layerNames(r);
    const m = r.runs[0].cka;
    const last = names.length - 1;
    return (
      `Linear CKA (centred kernel alignment) between the activations of every pair of layers on the test inputs${seedNote(r)}: 1 means two layers hold the same geometry up to rotation and scale, 0 that they share none. ` +
      `The raw input and the ${names[last]} layer agree at ${m[0][last].toFixed(2)}; neighbouring layers at ${Math.min(...m.slice(1).map((row, i) => row[i])).toFixed(2)} or more.`
    );
  },
  rows: (r) => {
    const names = layerNames(r);
    return r.runs[0].cka.flatMap((row, a) => row.map((value, b) => ({ layerA: names[a], layerB: names[b], cka: value })));
  },
  key: () => ({ ramp: { label: 'Linear CKA', scheme: 'blues', domain: [0, 1] } }),
  plot: (r, rows) => {
    const names = layerNames(r);
    const cell = Math.max(44, Math.min(72, 520 / names.length));
    const text = (d: Record<string, unknown>) => Number(d.cka).toFixed(2);
    return {
      width: 100 + names.length * cell,
      height: 60 + names.length * cell,
      marginLeft: 80,
      marginBottom: 50,
      x: { type: 'band', domain: names, label: 'Layer', padding: 0.03 },
      y: { type: 'band', domain: names, label: 'Layer', padding: 0.03 },
      color: { type: 'linear', scheme: 'blues', domain: [0, 1], label: 'Linear CKA (0–1)' },
      marks: [
        Plot.cell(rows, { x: 'layerB', y: 'layerA', fill: 'cka', title: (d) => `${d.layerA} · ${d.layerB}: CKA ${text(d)}` }),
        ...cellText(rows, (d) => Number(d.cka), 0.55, { x: 'layerB', y: 'layerA', text }),
      ],
    };
  },
};
