import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import { allLabels, className, type Lang, layerIn, pctIn, say, seedNote } from './labels.ts';
import { pointsAsPath } from './marks.ts';
import { classColor } from './palette.ts';
import { classKey } from './key.ts';
import type { FigureDef, Row } from './types.ts';

type Method = 'pca' | 'umap';
type Projection = NonNullable<Result['runs'][number]['projections']>;

const projectionsOf = (r: Result): Projection | undefined => r.runs[0].projections;

/** The maps of one method, in the order of the network's layers. */
export function mapsOf(r: Result, method: Method): Projection['layers'] {
  const p = projectionsOf(r);
  if (!p) return [];
  const order = r.runs[0].layers.map((l) => l.name);
  return p.layers.filter((l) => l.method === method).sort((a, b) => order.indexOf(a.layer) - order.indexOf(b.layer));
}

/** Small multiples wrapped into rows: the column and row of the i-th panel. */
export function facetGrid(count: number, maxColumns = 3): { columns: number; rows: number; at: (i: number) => { fx: number; fy: number } } {
  const columns = Math.max(1, Math.min(count, count === 4 ? 2 : maxColumns));
  return { columns, rows: Math.ceil(count / columns), at: (i) => ({ fx: i % columns, fy: Math.floor(i / columns) }) };
}

// A caption is written for the page, the figure's page, its SVG, PNG and PDF
// in each language: each map's agreement is computed once (a quadratic search,
// a second of a build per experiment otherwise).
const agreements = new WeakMap<Projection['layers'][number], number>();

/** Share of the trained classes' inputs whose nearest other such input on the map has their class. */
export function neighbourAgreement(r: Result, map: Projection['layers'][number]): number {
  let share = agreements.get(map);
  if (share === undefined) agreements.set(map, (share = agreementOf(r, map)));
  return share;
}

function agreementOf(r: Result, map: Projection['layers'][number]): number {
  const rows = projectionsOf(r)!.rows;
  const idx = rows.flatMap((d, i) => (d.split === 'test' ? [i] : []));
  let same = 0;
  for (const i of idx) {
    let best = -1;
    let bestD = Infinity;
    for (const j of idx) {
      if (j === i) continue;
      const dd = (map.x[i] - map.x[j]) ** 2 + (map.y[i] - map.y[j]) ** 2;
      if (dd < bestD) {
        bestD = dd;
        best = j;
      }
    }
    if (best >= 0 && rows[best].label === rows[i].label) same++;
  }
  return idx.length ? same / idx.length : 0;
}

/** "150 of 1, 150 of 7" for the test inputs, and the same for the probes. */
function sampleText(r: Result, lang: Lang = 'en'): string {
  const rows = projectionsOf(r)!.rows;
  const counts = (split: 'test' | 'probe', labels: number[]) =>
    labels
      .map((l) => ({ l, n: rows.filter((d) => d.split === split && d.label === l).length }))
      .filter((c) => c.n > 0)
      .map((c) => `${c.n} ${say(lang, 'of', 'de')} ${className(r, c.l)}`)
      .join(', ');
  const probes = counts('probe', r.dataset.probes);
  return say(
    lang,
    `a seeded sample of the test inputs (${counts('test', r.dataset.classes)})${probes ? ` and of the unseen inputs (${probes})` : ''}`,
    `un échantillon (avec graine) des entrées de test (${counts('test', r.dataset.classes)})${probes ? ` et des entrées inconnues (${probes})` : ''}`,
  );
}

const axisNames = (method: Method) => (method === 'pca' ? ['PC1', 'PC2'] : ['UMAP 1', 'UMAP 2']);

function projectionFigure(method: Method): FigureDef {
  const isPca = method === 'pca';
  return {
    name: `projections-${method}`,
    // The figure's sample is of test inputs and probes: the explorer shows them, and every other, on the same map.
    explore: (r) => `#seed=${r.seeds[0]}&proj=${method}&split=held-out`,
    title: isPca
      ? { en: 'Every layer in two dimensions: principal components', fr: 'Chaque couche en deux dimensions\u00A0: composantes principales' }
      : { en: 'Every layer in two dimensions: UMAP', fr: 'Chaque couche en deux dimensions\u00A0: UMAP' },
    applies: (r) => mapsOf(r, method).length > 0,
    caption: (r, lang) => {
      const maps = mapsOf(r, method);
      const agreement = maps.map((m) => `${layerIn(m.layer, lang)} ${pctIn(neighbourAgreement(r, m), lang, 0)}`).join(', ');
      const hasProbes = projectionsOf(r)!.rows.some((d) => d.split === 'probe');
      if (lang === 'fr') {
        const what = `Chaque point est une entrée d’${sampleText(r, lang)}${seedNote(r, lang)}\u00A0: ${hasProbes ? 'les points pleins sont des entrées de test des classes entraînées, les anneaux des entrées inconnues' : 'les points sont des entrées de test'}, colorés par classe. `;
        if (isPca) {
          const explained = maps.map((m) => `${layerIn(m.layer, lang)} ${pctIn((m.explained?.[0] ?? 0) + (m.explained?.[1] ?? 0), lang, 0)}`).join(', ');
          return (
            what +
            `Chaque panneau projette les activations d’une couche sur ses deux premières composantes principales (axes mis à l’échelle par couche\u202F; la part de la variance de la couche que porte chacune est indiquée sous et à côté). ` +
            `Les deux ensemble portent ${explained} de la variance. Sur cette vue linéaire, les distances ont un sens\u00A0: l’entrée de test la plus proche sur la carte est de la même classe pour ${agreement} d’entre elles.`
          );
        }
        const u = projectionsOf(r)!.umap;
        return (
          what +
          `Chaque panneau est un plongement UMAP des activations d’une couche (l’algorithme d’umap-js, ${u.neighbours} plus proches voisins exacts, min_dist ${String(u.minDist).replace('.', ',')}, ${u.epochs} époques en partant de la carte ACP de la couche, à un léger bruit avec graine près). ` +
          `UMAP garde qui est proche de qui, pas les distances\u00A0: la taille d’un groupe, les écarts entre groupes et les axes n’ont pas de sens. L’entrée de test la plus proche sur la carte est de la même classe pour ${agreement} d’entre elles.`
        );
      }
      const what = `Each point is one input of ${sampleText(r)}${seedNote(r)}: ${hasProbes ? 'filled dots are test inputs of the trained classes, rings unseen inputs' : 'dots are test inputs'}, coloured by class. `;
      if (isPca) {
        const explained = maps.map((m) => `${m.layer} ${pctIn((m.explained?.[0] ?? 0) + (m.explained?.[1] ?? 0), lang, 0)}`).join(', ');
        return (
          what +
          `Each panel projects one layer's activations onto its own first two principal components (axes scaled per layer; the share of the layer's variance each holds is under and beside it). ` +
          `The two together hold ${explained} of the variance. On this linear view distances mean something: the nearest other test input on the map is of the same class for ${agreement} of them.`
        );
      }
      const u = projectionsOf(r)!.umap;
      return (
        what +
        `Each panel is a UMAP embedding of one layer's activations (umap-js's algorithm, ${u.neighbours} exact nearest neighbours, min_dist ${u.minDist}, ${u.epochs} epochs starting from the layer's PCA map plus a little seeded noise). ` +
        `UMAP keeps who is near whom, not distances: the size of a group, the gaps between groups and the axes carry no meaning. The nearest other test input on the map is of the same class for ${agreement} of them.`
      );
    },
    rows: (r) => {
      const rows = projectionsOf(r)?.rows ?? [];
      return mapsOf(r, method).flatMap((m) =>
        rows.map((d, i) => ({ layer: m.layer, method, class: className(r, d.label), split: d.split, x: m.x[i], y: m.y[i] })),
      );
    },
    plot: (r, rows, lang) => {
      const maps = mapsOf(r, method);
      const grid = facetGrid(maps.length);
      const [xName, yName] = axisNames(method);
      // Each layer on its own square scale (one unit for both axes, so that PCA's shapes are true): centred on its range, then divided by its largest half-extent.
      const frames = maps.map((m, i) => {
        const mid = (v: number[]) => (Math.min(...v) + Math.max(...v)) / 2;
        const cx = mid(m.x);
        const cy = mid(m.y);
        const half = Math.max(1e-12, ...m.x.map((v) => Math.abs(v - cx)), ...m.y.map((v) => Math.abs(v - cy)));
        const share = (k: 0 | 1) =>
          m.explained ? say(lang, ` (${pctIn(m.explained[k], lang)} of variance)`, ` (${pctIn(m.explained[k], lang)} de la variance)`) : '';
        return { layer: m.layer, title: layerIn(m.layer, lang), ...grid.at(i), cx, cy, half, xLabel: `${xName}${share(0)}`, yLabel: `${yName}${share(1)}` };
      });
      const frameOf = new Map(frames.map((f) => [f.layer, f]));
      const points = rows.map((d) => {
        const f = frameOf.get(String(d.layer))!;
        return { ...d, fx: f.fx, fy: f.fy, sx: (Number(d.x) - f.cx) / f.half, sy: (Number(d.y) - f.cy) / f.half };
      }) as (Row & { fx: number; fy: number; sx: number; sy: number })[];
      const size = 210;
      const facet = { fx: 'fx', fy: 'fy' };
      return {
        width: 40 + grid.columns * (size + 40),
        height: 50 + grid.rows * (size + 62),
        marginTop: 24,
        marginLeft: 34,
        marginRight: 10,
        marginBottom: 30,
        x: { domain: [-1.06, 1.06], axis: null },
        y: { domain: [-1.06, 1.06], axis: null },
        fx: { domain: Array.from({ length: grid.columns }, (_, i) => i), axis: null, padding: 0.16 },
        fy: { domain: Array.from({ length: grid.rows }, (_, i) => i), axis: null, padding: 0.26 },
        marks: [
          Plot.rect(frames, { ...facet, x1: -1.06, x2: 1.06, y1: -1.06, y2: 1.06, fill: 'none', stroke: 'currentColor', strokeOpacity: 0.35 }),
          Plot.text(frames, { ...facet, frameAnchor: 'top', dy: -14, text: 'title', fontWeight: 'bold', fontSize: 12 }),
          Plot.text(frames, { ...facet, frameAnchor: 'bottom', dy: 12, text: 'xLabel', fill: 'currentColor' }),
          Plot.text(frames, { ...facet, frameAnchor: 'left', dx: -10, rotate: -90, text: 'yLabel', fill: 'currentColor' }),
          // One mark per class and kind, so that the colour is set once per group rather than on each of thousands of
          // points; probes first, so that the trained classes stay in view.
          ...r.dataset.probes.map((label) =>
            Plot.dot(
              points.filter((d) => d.split === 'probe' && d.class === className(r, label)),
              { ...facet, x: 'sx', y: 'sy', render: pointsAsPath({ r: 2.1, stroke: classColor(label), strokeWidth: 1, opacity: 0.85 }) },
            ),
          ),
          ...r.dataset.classes.map((label) =>
            Plot.dot(
              points.filter((d) => d.split === 'test' && d.class === className(r, label)),
              { ...facet, x: 'sx', y: 'sy', render: pointsAsPath({ r: 1.7, fill: classColor(label), opacity: 0.75 }) },
            ),
          ),
        ],
      };
    },
    key: (r, lang) => {
      const probes = projectionsOf(r)?.rows.some((d) => d.split === 'probe');
      const marks = probes
        ? [
            { label: say(lang, 'test input (dot)', 'entrée de test (point)'), color: 'currentColor', shape: 'dot' as const },
            { label: say(lang, 'unseen input (ring)', 'entrée inconnue (anneau)'), color: 'currentColor', shape: 'ring' as const },
          ]
        : [];
      return { items: [...classKey(r, allLabels(r), lang).items!, ...marks] };
    },
  };
}

export const projectionsPca = projectionFigure('pca');
export const projectionsUmap = projectionFigure('umap');
