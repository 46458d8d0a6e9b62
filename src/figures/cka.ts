import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { dec, layerIn, say, seedNote } from './labels.ts';
import { cellText } from './marks.ts';
import type { FigureDef } from './types.ts';

const layerNames = (r: Result) => r.runs[0].layers.map((l) => l.name);

export const cka: FigureDef = {
  name: 'cka',
  title: { en: 'How alike the layers represent the inputs', fr: 'À quel point les couches représentent les entrées de façon semblable' },
  applies: (r) => r.runs[0].cka.length > 1,
  caption: (r, lang) => {
    const names = layerNames(r);
    const m = r.runs[0].cka;
    const last = names.length - 1;
    const neighbours = Math.min(...m.slice(1).map((row, i) => row[i]));
    if (lang === 'fr')
      return (
        `CKA linéaire (alignement de noyaux centrés) entre les activations de chaque paire de couches sur les entrées de test${seedNote(r, lang)}\u00A0: 1 signifie que deux couches ont la même géométrie à une rotation et une échelle près, 0 qu’elles n’en partagent aucune. ` +
        `L’entrée brute et la couche ${layerIn(names[last], lang)} s’accordent à ${dec(m[0][last], 2, lang)}\u202F; des couches voisines à ${dec(neighbours, 2, lang)} ou plus.`
      );
    return (
      `Linear CKA (centred kernel alignment) between the activations of every pair of layers on the test inputs${seedNote(r)}: 1 means two layers hold the same geometry up to rotation and scale, 0 that they share none. ` +
      `The raw input and the ${names[last]} layer agree at ${m[0][last].toFixed(2)}; neighbouring layers at ${neighbours.toFixed(2)} or more.`
    );
  },
  rows: (r) => {
    const names = layerNames(r);
    return r.runs[0].cka.flatMap((row, a) => row.map((value, b) => ({ layerA: names[a], layerB: names[b], cka: value })));
  },
  key: (_, lang) => ({ ramp: { label: say(lang, 'Linear CKA', 'CKA linéaire'), scheme: 'blues', domain: [0, 1] } }),
  plot: (r, rows, lang) => {
    const names = layerNames(r);
    const cell = Math.max(44, Math.min(72, 520 / names.length));
    const text = (d: Record<string, unknown>) => dec(Number(d.cka), 2, lang);
    return {
      width: 100 + names.length * cell,
      height: 60 + names.length * cell,
      marginLeft: 80,
      marginBottom: 50,
      x: { type: 'band', domain: names, label: say(lang, 'Layer', 'Couche'), padding: 0.03 },
      y: { type: 'band', domain: names, label: say(lang, 'Layer', 'Couche'), padding: 0.03 },
      color: { type: 'linear', scheme: 'blues', domain: [0, 1], label: say(lang, 'Linear CKA (0–1)', 'CKA linéaire (0–1)') },
      marks: [
        Plot.cell(rows, {
          x: 'layerB',
          y: 'layerA',
          fill: 'cka',
          title: (d) => `${layerIn(String(d.layerA), lang)} · ${layerIn(String(d.layerB), lang)}${say(lang, ':', '\u00A0:')} CKA ${text(d)}`,
        }),
        ...cellText(rows, (d) => Number(d.cka), 0.55, { x: 'layerB', y: 'layerA', text }),
      ],
    };
  },
};
