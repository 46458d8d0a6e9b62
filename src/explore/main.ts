import type { InputsIndex, SeedInputs } from '../results/inputs.ts';
import { renderDetail } from './detail.ts';
import { h } from './dom.ts';
import { Gallery, type GalleryItem } from './gallery.ts';
import { Inputs, SeedView } from './model.ts';
import { Sankey } from './sankey.ts';
import { Scatter } from './scatter.ts';
import { formatHash, parseHash, type Selection, type StateSpace, type ViewState } from './state.ts';
import { thumb, type Sprite } from './thumbs.ts';
import { COLON, countText, layerText, pctText, say, splitText } from './words.ts';

// The explorer of one experiment: linked views of every input (a layer's 2-D
// map, the cluster-path Sankey, a gallery of the selection, one input in
// detail) over the per-input artifact the site publishes. The page itself
// (controls, headings, what to do without JavaScript) is static HTML; this
// module fills it in. Its whole state is the URL fragment.

const root = document.getElementById('explorer') as HTMLElement;
const $ = <T extends Element>(sel: string) => root.querySelector(sel) as T;

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function start() {
  // The seed the address names (the page lists the seeds) is fetched beside the index, not after it.
  const listed = [...root.querySelectorAll<HTMLOptionElement>('#c-seed option')].map((o) => Number(o.value));
  const asked = Number(new URLSearchParams(location.hash.slice(1)).get('seed'));
  const first = listed.includes(asked) ? asked : listed[0];
  const seedUrl = (seed: number) => root.dataset.seeds!.replace('{seed}', String(seed));
  const early = new Map([[first, json<SeedInputs>(seedUrl(first))]]);
  // Its failure, if any, is reported where it is awaited.
  early.get(first)!.catch(() => {});
  const index = await json<InputsIndex>(root.dataset.index!);
  const inputs = new Inputs(index);
  const layerNames = index.layers.map((l) => l.name);
  const space: StateSpace = { seeds: index.seeds, layers: layerNames, defaultLayer: layerNames[inputs.hidden[0] ?? 0], labels: inputs.allLabels };
  const sprite: Sprite = { columns: Math.min(Number(root.dataset.columns), inputs.n), width: index.image.width, height: index.image.height };
  root.style.setProperty('--sprite', `url("${root.dataset.sprite}")`);
  const seeds = new Map<number, Promise<SeedView>>();
  const seedView = (seed: number) => {
    let p = seeds.get(seed);
    if (!p) {
      p = (early.get(seed) ?? json<SeedInputs>(seedUrl(seed))).then((s) => new SeedView(inputs, s));
      seeds.set(seed, p);
    }
    return p;
  };
  let state = parseHash(location.hash, space);
  let view = await seedView(state.seed);
  const name = (l: number) => inputs.name(l);
  const describe = (r: number) => {
    const label = inputs.labels[r];
    const p = view.predicted[r];
    return `${name(label)} (${splitText(inputs.splitOf(r))}), ${say('predicted', 'prédite')} ${name(p)}${view.wrong(r) ? say(' (wrong)', ' (fausse)') : ''}, ${say('cluster path', 'chemin de clusters')} ${
      view
        .path(r)
        .map((c) => `c${c}`)
        .join('-') || '—'
    }, ${index.ids[r]}`;
  };
  const announce = (text: string) => {
    $('#announce').textContent = text;
  };

  // Controls: the page renders them; they follow the state.
  const seedSel = $<HTMLSelectElement>('#c-seed');
  const layerSel = $<HTMLSelectElement>('#c-layer');
  const splitSel = $<HTMLSelectElement>('#c-split');
  const probes = $<HTMLInputElement>('#c-probes');
  const wrong = $<HTMLInputElement>('#c-wrong');
  const classBoxes = [...root.querySelectorAll<HTMLInputElement>('#c-classes input[data-label]')];
  const projRadios = [...root.querySelectorAll<HTMLInputElement>('input[name="proj"]')];
  const syncControls = () => {
    seedSel.value = String(state.seed);
    layerSel.value = state.layer;
    splitSel.value = state.split;
    probes.checked = state.probesOnly;
    wrong.checked = state.wrongOnly;
    for (const b of classBoxes) b.checked = !state.hide.includes(Number(b.dataset.label));
    const l = inputs.layerIndex(state.layer);
    const hasUmap = view.seed.umap[l] !== null;
    for (const r of projRadios) {
      r.checked = r.value === state.proj;
      if (r.value === 'umap') r.disabled = !hasUmap;
    }
    if (!hasUmap && state.proj === 'umap') state.proj = 'pca';
  };

  const scatter = new Scatter($('#scatter'), {
    hover(row) {
      if (row !== null && document.activeElement === $('#scatter')) announce(describe(row));
    },
    open(row) {
      set({ input: index.ids[row] });
    },
    brush(rect) {
      set({ sel: { kind: 'brush', layer: state.layer, proj: state.proj, ...rect } });
    },
    clear() {
      set({ sel: null });
    },
    tip(row) {
      const lines = h(
        'div',
        {},
        h('strong', {}, `${name(inputs.labels[row])}`),
        ` · ${splitText(inputs.splitOf(row))}`,
        h('br'),
        `${say('predicted', 'prédite')} ${name(view.predicted[row])}${view.wrong(row) ? ' ✗' : ''}`,
        h('br'),
        `${say('path', 'chemin')} ${view
          .path(row)
          .map((c) => `c${c}`)
          .join('-')}`,
        h('br'),
        h('span', { class: 'mono' }, index.ids[row]),
      );
      return h('div', { class: 'tip-body', 'data-row': String(row) }, thumb(sprite, row, 2), lines);
    },
  });
  const sankey = new Sankey($('#sankey'), (sel) => set({ sel: sameSelection(sel, state.sel) ? null : sel }));
  const gallery = new Gallery($('#gallery'), sprite, (row) => set({ input: index.ids[row] }));
  $('#detail').addEventListener('click', (e) => {
    const b = (e.target as Element).closest('button[data-row]');
    if (b) set({ input: index.ids[Number(b.getAttribute('data-row'))] });
  });

  let scatterKey = '';
  const widths = { scatter: 0, sankey: 0, detail: 0 };
  let rendered = false;
  const render = async (focusDetail = false) => {
    view = await seedView(state.seed);
    syncControls();
    const layer = inputs.layerIndex(state.layer);
    const rows = view.visible(state);
    const selected = state.sel ? view.select(state.sel, rows) : null;
    const xy = view.coordinates(layer, state.proj) ?? view.coordinates(layer, 'pca')!;
    const key = `${state.seed} ${state.layer} ${state.proj} ${state.hide} ${state.probesOnly} ${state.wrongOnly} ${state.split}`;
    if (key !== scatterKey) {
      scatterKey = key;
      const pcaInfo = view.seed.pca[layer].explained;
      const axis = (i: number) =>
        state.proj === 'pca' ? `${say('PC', 'CP')}${i + 1} (${pctText(pcaInfo[i])} ${say('of variance', 'de la variance')})` : `UMAP ${i + 1}`;
      scatter.setData(
        {
          x: xy.x,
          y: xy.y,
          rows,
          labels: inputs.labels,
          xLabel: `${axis(0)} →`,
          yLabel: `↑ ${axis(1)}`,
          description: say(
            `${state.proj.toUpperCase()} map of layer ${state.layer}, seed ${state.seed}: ${rows.length} inputs, coloured by class.`,
            `Carte ${state.proj === 'pca' ? 'ACP' : 'UMAP'} de la couche ${layerText(state.layer)}, graine ${state.seed}\u00A0: ${countText(rows.length)} entrées, colorées par classe.`,
          ),
        },
        widths.scatter,
      );
    }
    const row = state.input !== null ? (inputs.rowOf.get(state.input) ?? null) : null;
    scatter.setHighlight(selected, row);
    scatter.setBrush(state.sel?.kind === 'brush' && state.sel.layer === state.layer && state.sel.proj === state.proj ? state.sel : null);
    const hiddenNames = inputs.hidden.map((l) => layerNames[l]);
    sankey.render(
      {
        layers: hiddenNames,
        layoutKey: `${state.seed} ${state.hide} ${state.probesOnly} ${state.wrongOnly} ${state.split}`,
        flows: () => view.flows(rows),
        selected: selected && state.sel?.kind === 'brush' ? view.flows(selected) : null,
        single: () => view.clusterSizes(rows),
        sel: state.sel,
        name,
        current: hiddenNames.includes(state.layer) ? state.layer : null,
      },
      widths.sankey,
    );
    $('#shown').textContent = say(
      `${countText(rows.length)} of ${countText(inputs.n)} inputs shown${selected ? `, ${countText(selected.length)} selected` : ''}.`,
      `${countText(rows.length)} entrées affichées sur ${countText(inputs.n)}${selected ? `, ${countText(selected.length)} sélectionnées` : ''}.`,
    );
    const clear = $<HTMLButtonElement>('#c-clear');
    clear.disabled = !state.sel;
    if (selected) {
      const items: GalleryItem[] = Array.from(selected, (r) => ({
        row: r,
        label: inputs.labels[r],
        id: index.ids[r],
        description: describe(r),
        wrong: view.wrong(r),
      }));
      gallery.render(items, `${countText(selected.length)} ${say('selected', 'sélectionnées')}${COLON}${selectionText(state.sel!)}.`, row);
    } else
      gallery.render(
        [],
        say(
          'Nothing selected: click a cluster or a band of the Sankey, or drag across the map, to see those inputs here.',
          'Rien de sélectionné\u00A0: cliquez sur un cluster ou une bande du Sankey, ou faites glisser sur la carte, pour voir ces entrées ici.',
        ),
        row,
      );
    const detail = $<HTMLElement>('#detail');
    if (row !== null) {
      renderDetail(detail, view, row, sprite, widths.detail || 400);
      if (focusDetail) $<HTMLElement>('#detail-title').focus();
    } else {
      detail.replaceChildren(
        h('h2', { id: 'detail-title', tabindex: '-1' }, say('One input', 'Une entrée')),
        h(
          'p',
          { class: 'note' },
          state.input
            ? say(
                `No input has the id “${state.input}” in this experiment.`,
                `Aucune entrée n’a l’identifiant «\u00A0${state.input}\u00A0» dans cette expérience.`,
              )
            : say(
                'Click a point of the map or a thumbnail, or type an id above, to open an input: its cluster path, its nearest training inputs and its scores.',
                'Cliquez sur un point de la carte ou une vignette, ou tapez un identifiant ci-dessus, pour ouvrir une entrée\u00A0: son chemin de clusters, ses plus proches entrées d’entraînement et ses scores.',
              ),
        ),
      );
    }
    const hash = formatHash(state, space);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    if (!rendered) {
      rendered = true;
      root.dataset.state = 'ready';
    }
    root.dataset.rendered = String(Number(root.dataset.rendered ?? 0) + 1);
  };

  const selectionText = (sel: Selection) => {
    if (sel.kind === 'node') return say(`cluster c${sel.cluster} of ${sel.layer}`, `cluster c${sel.cluster} de ${layerText(sel.layer)}`);
    if (sel.kind === 'band') {
      const next = layerNames[inputs.hidden[inputs.hidden.indexOf(inputs.layerIndex(sel.layer)) + 1]] ?? '';
      return say(
        `class ${name(sel.label)} from ${sel.layer} c${sel.from} to ${next} c${sel.to}`,
        `classe ${name(sel.label)} de ${layerText(sel.layer)} c${sel.from} à ${layerText(next)} c${sel.to}`,
      );
    }
    return say(
      `a rectangle of the ${sel.proj.toUpperCase()} map of ${sel.layer}`,
      `un rectangle de la carte ${sel.proj === 'pca' ? 'ACP' : 'UMAP'} de ${layerText(sel.layer)}`,
    );
  };

  let queue = Promise.resolve();
  function set(change: Partial<ViewState>) {
    const opening = change.input !== undefined && change.input !== state.input;
    state = { ...state, ...change };
    if (change.sel !== undefined)
      announce(change.sel ? `${say('Selected', 'Sélection\u00A0:')} ${selectionText(change.sel)}.` : say('Selection cleared.', 'Sélection effacée.'));
    queue = queue.then(() => render(opening)).catch(fail);
  }

  seedSel.addEventListener('change', () => set({ seed: Number(seedSel.value) }));
  layerSel.addEventListener('change', () => set({ layer: layerSel.value }));
  splitSel.addEventListener('change', () => set({ split: splitSel.value as ViewState['split'] }));
  probes.addEventListener('change', () => set({ probesOnly: probes.checked }));
  wrong.addEventListener('change', () => set({ wrongOnly: wrong.checked }));
  for (const b of classBoxes) b.addEventListener('change', () => set({ hide: classBoxes.filter((c) => !c.checked).map((c) => Number(c.dataset.label)) }));
  for (const r of projRadios) r.addEventListener('change', () => r.checked && set({ proj: r.value as ViewState['proj'] }));
  $('#c-clear').addEventListener('click', () => set({ sel: null }));
  $('#c-find').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $<HTMLInputElement>('#c-id').value.trim();
    if (value) set({ input: value });
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === formatHash(state, space)) return;
    state = parseHash(location.hash, space);
    queue = queue.then(() => render()).catch(fail);
  });
  $<HTMLElement>('#controls').hidden = false;
  // The views' widths, measured once now and then told by a ResizeObserver: a render never reads the layout back.
  for (const id of ['scatter', 'sankey', 'detail'] as const) widths[id] = $(`#${id}`).clientWidth;
  const resized = new ResizeObserver((entries) => {
    let changed = false;
    for (const e of entries) {
      const id = e.target.id as keyof typeof widths;
      const w = Math.round(e.contentRect.width);
      if (w === widths[id]) continue;
      widths[id] = w;
      changed = true;
    }
    if (!changed) return;
    scatterKey = '';
    queue = queue.then(() => render()).catch(fail);
  });
  for (const id of ['scatter', 'sankey', 'detail']) resized.observe($(`#${id}`));
  await render();
  // When the first full view has been painted (ms since navigation): what the benchmark reads.
  requestAnimationFrame(() => setTimeout(() => (root.dataset.interactiveMs = String(Math.round(performance.now())))));
}

function sameSelection(a: Selection, b: Selection | null): boolean {
  return b !== null && JSON.stringify(a) === JSON.stringify(b);
}

function fail(err: unknown) {
  root.dataset.state = 'failed';
  const p = root.querySelector('#status');
  if (p)
    p.textContent = `${say('The explorer could not load its data', 'L’explorateur n’a pas pu charger ses données')}${COLON}${String((err as Error)?.message ?? err)}`;
}

start().catch(fail);
