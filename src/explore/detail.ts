import { barX, dot, line, plot, ruleY } from '@observablehq/plot';
import { classColor, seriesScale } from '../figures/palette.ts';
import { h } from './dom.ts';
import type { SeedView } from './model.ts';
import { thumb, type Sprite } from './thumbs.ts';

// One input in detail: what it is and what the model made of it, its path
// beside its class's (and its prediction's) most common path, its specific
// path beside the classes', its nearest training inputs at every layer, and
// its out-of-distribution scores with where they stand among test inputs.

const SCORE_NAMES: Record<string, string> = {
  mahalanobis: 'Mahalanobis',
  'relative-mahalanobis': 'relative Mahalanobis',
  knn: 'k-NN distance',
  centroid: 'nearest centroid',
};

const fmt = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(digits)).toString();
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)} %` : '—');

/** A table in a box that scrolls sideways on a narrow screen, reachable by the keyboard to scroll it. */
const wrap = (label: string, table: HTMLTableElement) => h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);

/** A Plot figure made readable by one label: its marks are presentational. */
function figure(el: Element, label: string): Element {
  const svgEl = el.localName === 'svg' ? el : el.querySelector('svg:last-of-type');
  for (const e of el.querySelectorAll('[aria-label]')) e.removeAttribute('aria-label');
  svgEl?.setAttribute('role', 'img');
  svgEl?.setAttribute('aria-label', label);
  return el;
}

export function renderDetail(root: HTMLElement, view: SeedView, row: number, sprite: Sprite, width: number): void {
  const { inputs } = view;
  const index = inputs.index;
  const label = inputs.labels[row];
  const predicted = view.predicted[row];
  const name = (l: number) => inputs.name(l);
  const split = inputs.splitOf(row);
  const trained = inputs.trained.has(label);
  const ci = index.classes.indexOf(predicted);
  const heading = h('h2', { id: 'detail-title', tabindex: '-1' }, `Input ${index.ids[row]}`);
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Class'),
    h('dd', {}, `${name(label)}${trained ? '' : ' (probe, never trained on)'}`),
    h('dt', {}, 'Split'),
    h('dd', {}, split),
    h('dt', {}, 'Predicted'),
    h('dd', {}, `${name(predicted)} at ${pct(view.probability(row, ci))}${trained ? (predicted === label ? ' (right)' : ' (wrong)') : ''}`),
    h('dt', {}, 'Seed'),
    h('dd', {}, String(view.seed.seed)),
  );
  const top = h('div', { class: 'detail-top' }, thumb(sprite, row, 4), facts);
  const probs = index.classes.map((c, i) => ({ name: name(c), p: view.probability(row, i), color: classColor(c) }));
  const probChart = figure(
    plot({
      width: Math.min(width, 420),
      height: 24 + 22 * probs.length,
      marginLeft: 96,
      marginTop: 4,
      marginBottom: 20,
      style: { background: 'transparent', color: 'inherit' },
      x: { domain: [0, 1], label: null, ticks: [0, 0.25, 0.5, 0.75, 1], tickFormat: (v: number) => `${Math.round(100 * v)} %` },
      y: { domain: probs.map((p) => p.name), label: null },
      marks: [barX(probs, { x: 'p', y: 'name', fill: 'color' })],
    }) as unknown as Element,
    `The model's probability of each class for this input: ${probs.map((p) => `${p.name} ${pct(p.p)}`).join(', ')}.`,
  );
  const sections: Node[] = [heading, top, h('h3', {}, 'Probabilities'), probChart];

  // Paths.
  const hidden = inputs.hidden.map((l) => index.layers[l].name);
  if (hidden.length) {
    const mine = view.path(row);
    const own = view.topPath(label);
    const theirs = trained && predicted !== label ? view.topPath(predicted) : null;
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Layer'),
      h('th', { scope: 'col' }, 'This input'),
      h('th', { scope: 'col' }, `${name(label)}'s most common path${own ? ` (${own.count} of ${own.total})` : ''}`),
    );
    if (theirs) head.append(h('th', { scope: 'col' }, `${name(predicted)}'s most common path (${theirs.count} of ${theirs.total})`));
    const body = hidden.map((layer, i) => {
      const tr = h('tr', {}, h('th', { scope: 'row' }, layer), h('td', { class: 'mono' }, `c${mine[i]}`));
      for (const p of [own, theirs]) {
        if (p === theirs && !theirs) continue;
        const c = p?.path[i];
        tr.append(h('td', { class: c === mine[i] ? 'mono same' : 'mono' }, c === undefined ? '—' : `c${c}${c === mine[i] ? ' (same)' : ''}`));
      }
      return tr;
    });
    sections.push(h('h3', {}, 'Path'), wrap('The path', h('table', { class: 'path' }, h('thead', {}, head), h('tbody', {}, ...body))));
  }

  // Specific paths.
  if (view.seed.specific.length) {
    const rows = view.seed.specific.map((s) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, s.layer),
        h('td', {}, `${name(s.nearest[row])} (${fmt(s.jaccard[row], 2)})`),
        h('td', {}, s.own[row] === null ? '—' : fmt(s.own[row], 2)),
      ),
    );
    sections.push(
      h('h3', {}, 'Specific path'),
      h(
        'p',
        { class: 'note' },
        `The neurons carrying ${pct(index.coverage)} of this input's activation × outgoing weight at each layer, compared (Jaccard) with each class's specific path.`,
      ),
      wrap(
        'Specific paths',
        h(
          'table',
          { class: 'specific' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Layer'),
              h('th', { scope: 'col' }, 'Most alike: class (Jaccard)'),
              h('th', { scope: 'col' }, `Its own class's (Jaccard)`),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
      ),
    );
  }

  if (inputs.scoredIndex(row) < 0) {
    sections.push(
      h(
        'p',
        { class: 'note' },
        'A training input has no out-of-distribution score and no nearest training inputs here: it belongs to the reference it would be measured against. Open a test input or a probe for them.',
      ),
    );
  } else {
    // Nearest training inputs.
    const near = h('div', { class: 'neighbours' });
    index.layers.forEach((layer, l) => {
      const rows = view.neighbours(row, l);
      const list = h('ul', { class: 'gallery-list' });
      for (const r of rows) {
        const d = `${name(inputs.labels[r])}, training input ${index.ids[r]}`;
        const b = h('button', { type: 'button', 'data-row': String(r), 'data-label': String(inputs.labels[r]), 'aria-label': d, title: d });
        b.append(thumb(sprite, r, 1.5));
        list.append(h('li', {}, b));
      }
      near.append(h('div', { class: 'neighbour-row' }, h('span', { class: 'layer-name' }, layer.name), list));
    });
    sections.push(
      h('h3', {}, 'Nearest training inputs'),
      h(
        'p',
        { class: 'note' },
        `At each layer, the ${index.neighbours} training inputs nearest to this one (Euclidean, among ${index.reference.toLocaleString('en')} training inputs${index.reference < index.ranges.train[1] ? ', a seeded sample' : ''}), nearest first: the k-NN score is the distance to the last.`,
      ),
      near,
    );

    // Scores.
    const points: { layer: string; score: string; pct: number }[] = [];
    const scoreRows = index.layers.map((layer, l) => {
      const tr = h('tr', {}, h('th', { scope: 'row' }, layer.name));
      index.scores.forEach((score, s) => {
        const v = view.score(row, l, s);
        const p = v === null ? NaN : view.percentile(l, s, v);
        if (Number.isFinite(p)) points.push({ layer: layer.name, score: SCORE_NAMES[score] ?? score, pct: 100 * p });
        tr.append(h('td', { class: 'num' }, `${fmt(v)} `, h('small', {}, `(${pct(p)})`)));
      });
      return tr;
    });
    const names = index.scores.map((s) => SCORE_NAMES[s] ?? s);
    const chart = figure(
      plot({
        width: Math.min(width, 520),
        height: 220,
        marginLeft: 44,
        marginBottom: 34,
        style: { background: 'transparent', color: 'inherit' },
        x: { type: 'point', domain: index.layers.map((l) => l.name), label: null, padding: 0.3 },
        y: { domain: [0, 100], label: '↑ percentile among test inputs', grid: true },
        color: { ...seriesScale(names), legend: true },
        marks: [
          ruleY([50], { strokeDasharray: '3,3', strokeOpacity: 0.5 }),
          line(points, { x: 'layer', y: 'pct', stroke: 'score', z: 'score' }),
          dot(points, { x: 'layer', y: 'pct', fill: 'score', r: 3 }),
        ],
      }) as unknown as Element,
      `Where this input's out-of-distribution scores stand among the trained classes' test inputs, layer by layer (100: farther than all of them).`,
    );
    const q = inputs.scoredIndex(row);
    const b = view.seed.baselines;
    sections.push(
      h('h3', {}, 'Out-of-distribution scores'),
      h(
        'p',
        { class: 'note' },
        'Larger is farther from the training data. In brackets, and in the chart: the share of the trained classes\u2019 test inputs scoring lower.',
      ),
      chart,
      wrap(
        'Out-of-distribution scores',
        h(
          'table',
          { class: 'scores' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer'), ...names.map((n) => h('th', { scope: 'col', class: 'num' }, n)))),
          h('tbody', {}, ...scoreRows),
        ),
      ),
      h('p', {}, `Baselines: 1 − max softmax ${fmt(b.msp[q])}, energy ${fmt(b.energy?.[q] ?? null)}, path rarity ${fmt(b.rarity[q])}.`),
    );
  }
  root.replaceChildren(...sections);
}
