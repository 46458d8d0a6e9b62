import { classColor, seriesScale } from '../figures/palette.ts';
import { h } from './dom.ts';
import type { SeedView } from './model.ts';
import { thumb, type Sprite } from './thumbs.ts';
import { COLON, countText, layerText, numText, pctText, say, splitText } from './words.ts';

// One input in detail: what it is and what the model made of it, its path
// beside its class's (and its prediction's) most common path, its specific
// path beside the classes', its nearest training inputs at every layer, and
// its out-of-distribution scores with where they stand among test inputs.

const SCORE_NAMES: Record<string, string> = {
  mahalanobis: 'Mahalanobis',
  'relative-mahalanobis': say('relative Mahalanobis', 'Mahalanobis relative'),
  knn: say('k-NN distance', 'distance k-PPV'),
  centroid: say('nearest centroid', 'centroïde le plus proche'),
};

const fmt = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : numText(Number(v.toPrecision(digits)).toString());
const pct = pctText;

/** A table in a box that scrolls sideways on a narrow screen, reachable by the keyboard to scroll it. */
const wrap = (label: string, table: HTMLTableElement) => h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);

type PlotModule = typeof import('./charts.ts');

// Observable Plot is loaded with the first input opened, not with the page: the map and the Sankey do not need it.
let plotModule: Promise<PlotModule> | null = null;

/**
 * A Plot chart, drawn when Plot has loaded: a box of its height now, the
 * figure in it then (if the box is still on the page), read as one image
 * with `label` (its marks are presentational).
 */
function chart(height: number, label: string, draw: (Plot: PlotModule) => Element): HTMLElement {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': label });
  box.style.minHeight = `${height}px`;
  plotModule ??= import('./charts.ts');
  plotModule.then((Plot) => {
    if (!box.isConnected) return;
    const el = draw(Plot);
    for (const e of [el, ...el.querySelectorAll('*')]) {
      e.removeAttribute('aria-label');
      if (e.localName === 'svg') e.setAttribute('aria-hidden', 'true');
    }
    box.replaceChildren(el);
  });
  return box;
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
  const heading = h('h2', { id: 'detail-title', tabindex: '-1' }, `${say('Input', 'Entrée')} ${index.ids[row]}`);
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, say('Class', 'Classe')),
    h('dd', {}, `${name(label)}${trained ? '' : say(' (unseen class, never trained on)', ' (classe inconnue, jamais apprise)')}`),
    h('dt', {}, say('Split', 'Partition')),
    h('dd', {}, splitText(split)),
    h('dt', {}, say('Predicted', 'Prédite')),
    h(
      'dd',
      {},
      `${name(predicted)} ${say('at', 'à')} ${pct(view.probability(row, ci))}${trained ? (predicted === label ? say(' (right)', ' (juste)') : say(' (wrong)', ' (fausse)')) : ''}`,
    ),
    h('dt', {}, say('Seed', 'Graine')),
    h('dd', {}, String(view.seed.seed)),
  );
  const top = h('div', { class: 'detail-top' }, thumb(sprite, row, 4), facts);
  const probs = index.classes.map((c, i) => ({ name: name(c), p: view.probability(row, i), color: classColor(c) }));
  const probChart = chart(
    24 + 22 * probs.length,
    `${say("The model's probability of each class for this input", 'La probabilité de chaque classe selon le modèle pour cette entrée')}${COLON}${probs.map((p) => `${p.name} ${pct(p.p)}`).join(say(', ', '\u202F; '))}.`,
    (Plot) =>
      Plot.plot({
        width: Math.min(width, 420),
        height: 24 + 22 * probs.length,
        marginLeft: 96,
        marginTop: 4,
        marginBottom: 20,
        style: { background: 'transparent', color: 'inherit' },
        x: { domain: [0, 1], label: null, ticks: [0, 0.25, 0.5, 0.75, 1], tickFormat: (v: number) => pct(v) },
        y: { domain: probs.map((p) => p.name), label: null },
        marks: [Plot.barX(probs, { x: 'p', y: 'name', fill: 'color' })],
      }) as unknown as Element,
  );
  const sections: Node[] = [heading, top, h('h3', {}, say('Probabilities', 'Probabilités')), probChart];

  // Paths.
  const hidden = inputs.hidden.map((l) => index.layers[l].name);
  if (hidden.length) {
    const mine = view.path(row);
    const own = view.topPath(label);
    const theirs = trained && predicted !== label ? view.topPath(predicted) : null;
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, say('Layer', 'Couche')),
      h('th', { scope: 'col' }, say('This input', 'Cette entrée')),
      h(
        'th',
        { scope: 'col' },
        `${say(`${name(label)}'s most common cluster path`, `Chemin de clusters le plus fréquent de ${name(label)}`)}${own ? ` (${own.count} ${say('of', 'sur')} ${own.total})` : ''}`,
      ),
    );
    if (theirs)
      head.append(
        h(
          'th',
          { scope: 'col' },
          `${say(`${name(predicted)}'s most common cluster path`, `Chemin de clusters le plus fréquent de ${name(predicted)}`)} (${theirs.count} ${say('of', 'sur')} ${theirs.total})`,
        ),
      );
    const body = hidden.map((layer, i) => {
      const tr = h('tr', {}, h('th', { scope: 'row' }, layerText(layer)), h('td', { class: 'mono' }, `c${mine[i]}`));
      for (const p of [own, theirs]) {
        if (p === theirs && !theirs) continue;
        const c = p?.path[i];
        tr.append(
          h('td', { class: c === mine[i] ? 'mono same' : 'mono' }, c === undefined ? '—' : `c${c}${c === mine[i] ? say(' (same)', ' (le même)') : ''}`),
        );
      }
      return tr;
    });
    sections.push(
      h('h3', {}, say('Cluster path', 'Chemin de clusters')),
      wrap(say('The cluster path', 'Le chemin de clusters'), h('table', { class: 'path' }, h('thead', {}, head), h('tbody', {}, ...body))),
    );
  }

  // Specific paths.
  if (view.seed.specific.length) {
    const rows = view.seed.specific.map((s) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, layerText(s.layer)),
        h('td', {}, `${name(s.nearest[row])} (${fmt(s.jaccard[row], 2)})`),
        h('td', {}, s.own[row] === null ? '—' : fmt(s.own[row], 2)),
      ),
    );
    sections.push(
      h('h3', {}, say('Specific path', 'Chemin spécifique')),
      h(
        'p',
        { class: 'note' },
        say(
          `The neurons carrying ${pct(index.coverage)} of this input's activation × outgoing weight at each layer, compared (Jaccard) with each class's specific path.`,
          `Les neurones portant ${pct(index.coverage)} de l’activation × poids sortant de cette entrée à chaque couche, comparés (Jaccard) au chemin spécifique de chaque classe.`,
        ),
      ),
      wrap(
        say('Specific paths', 'Chemins spécifiques'),
        h(
          'table',
          { class: 'specific' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, say('Layer', 'Couche')),
              h('th', { scope: 'col' }, say('Most alike: class (Jaccard)', 'Le plus semblable\u00A0: classe (Jaccard)')),
              h('th', { scope: 'col' }, say(`Its own class's (Jaccard)`, 'Celui de sa classe (Jaccard)')),
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
        say(
          'A training input has no out-of-distribution score and no nearest training inputs here: it belongs to the reference it would be measured against. Open a test input or an unseen input for them.',
          'Une entrée d’entraînement n’a ici ni score hors distribution ni plus proches entrées d’entraînement\u00A0: elle fait partie de la référence à laquelle elle serait comparée. Ouvrez une entrée de test ou une entrée inconnue pour les voir.',
        ),
      ),
    );
  } else {
    // Nearest training inputs.
    const near = h('div', { class: 'neighbours' });
    index.layers.forEach((layer, l) => {
      const rows = view.neighbours(row, l);
      const list = h('ul', { class: 'gallery-list' });
      for (const r of rows) {
        const d = `${name(inputs.labels[r])}, ${say('training input', 'entrée d’entraînement')} ${index.ids[r]}`;
        const b = h('button', { type: 'button', 'data-row': String(r), 'data-label': String(inputs.labels[r]), 'aria-label': d, title: d });
        b.append(thumb(sprite, r, 1.5));
        list.append(h('li', {}, b));
      }
      near.append(h('div', { class: 'neighbour-row' }, h('span', { class: 'layer-name' }, layerText(layer.name)), list));
    });
    sections.push(
      h('h3', {}, say('Nearest training inputs', 'Plus proches entrées d’entraînement')),
      h(
        'p',
        { class: 'note' },
        say(
          `At each layer, the ${index.neighbours} training inputs nearest to this one (Euclidean, among ${countText(index.reference)} training inputs${index.reference < index.ranges.train[1] ? ', a seeded sample' : ''}), nearest first: the k-NN score is the distance to the last.`,
          `À chaque couche, les ${index.neighbours} entrées d’entraînement les plus proches de celle-ci (euclidienne, parmi ${countText(index.reference)} entrées d’entraînement${index.reference < index.ranges.train[1] ? ', un échantillon avec graine' : ''}), la plus proche d’abord\u00A0: le score k-PPV est la distance à la dernière.`,
        ),
      ),
      near,
    );

    // Scores.
    const points: { layer: string; score: string; pct: number }[] = [];
    const scoreRows = index.layers.map((layer, l) => {
      const tr = h('tr', {}, h('th', { scope: 'row' }, layerText(layer.name)));
      index.scores.forEach((score, s) => {
        const v = view.score(row, l, s);
        const p = v === null ? NaN : view.percentile(l, s, v);
        if (Number.isFinite(p)) points.push({ layer: layerText(layer.name), score: SCORE_NAMES[score] ?? score, pct: 100 * p });
        tr.append(h('td', { class: 'num' }, `${fmt(v)} `, h('small', {}, `(${pct(p)})`)));
      });
      return tr;
    });
    const names = index.scores.map((s) => SCORE_NAMES[s] ?? s);
    const scoreChart = chart(
      220,
      say(
        `Where this input's out-of-distribution scores stand among the trained classes' test inputs, layer by layer (100: farther than all of them).`,
        'Où se situent les scores hors distribution de cette entrée parmi les entrées de test des classes entraînées, couche par couche (100\u00A0: plus loin que toutes).',
      ),
      (Plot) =>
        Plot.plot({
          width: Math.min(width, 520),
          height: 220,
          marginLeft: 44,
          marginBottom: 34,
          style: { background: 'transparent', color: 'inherit' },
          x: { type: 'point', domain: index.layers.map((l) => layerText(l.name)), label: null, padding: 0.3 },
          y: { domain: [0, 100], label: say('↑ percentile among test inputs', '↑ centile parmi les entrées de test'), grid: true },
          color: { ...seriesScale(names), legend: true },
          marks: [
            Plot.ruleY([50], { strokeDasharray: '3,3', strokeOpacity: 0.5 }),
            Plot.line(points, { x: 'layer', y: 'pct', stroke: 'score', z: 'score' }),
            Plot.dot(points, { x: 'layer', y: 'pct', fill: 'score', r: 3 }),
          ],
        }) as unknown as Element,
    );
    const q = inputs.scoredIndex(row);
    const b = view.seed.baselines;
    sections.push(
      h('h3', {}, say('Out-of-distribution scores', 'Scores hors distribution')),
      h(
        'p',
        { class: 'note' },
        say(
          'Larger is farther from the training data. In brackets, and in the chart: the share of the trained classes\u2019 test inputs scoring lower.',
          'Plus grand signifie plus loin des données d’entraînement. Entre parenthèses, et dans le graphique\u00A0: la part des entrées de test des classes entraînées dont le score est plus bas.',
        ),
      ),
      scoreChart,
      wrap(
        say('Out-of-distribution scores', 'Scores hors distribution'),
        h(
          'table',
          { class: 'scores' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, say('Layer', 'Couche')), ...names.map((n) => h('th', { scope: 'col', class: 'num' }, n)))),
          h('tbody', {}, ...scoreRows),
        ),
      ),
      h(
        'p',
        {},
        say(
          `Baselines: 1 − max softmax ${fmt(b.msp[q])}, energy ${fmt(b.energy?.[q] ?? null)}, cluster-path rarity ${fmt(b.rarity[q])}.`,
          `Références\u00A0: 1 − softmax max. ${fmt(b.msp[q])}, énergie ${fmt(b.energy?.[q] ?? null)}, rareté du chemin de clusters ${fmt(b.rarity[q])}.`,
        ),
      ),
    );
  }
  root.replaceChildren(...sections);
}
