// The explorer's view as a URL fragment, e.g.
// `#seed=1&layer=hidden2&proj=umap&input=mnist:7:12&sel=band:hidden1:0:3:7`,
// so that a view can be linked from a thesis or a write-up. Only what differs
// from the default view is written. Pure: no DOM, tested in Node.

export type Projection = 'pca' | 'umap';
export type SplitFilter = 'all' | 'train' | 'held-out';

/** A selection of inputs: a cluster (Sankey node), a band (one class from a cluster to a cluster of the next layer), or a brushed rectangle of the scatter (data coordinates of its layer and map). */
export type Selection =
  | { kind: 'node'; layer: string; cluster: number }
  | { kind: 'band'; layer: string; from: number; to: number; label: number }
  | { kind: 'brush'; layer: string; proj: Projection; x0: number; x1: number; y0: number; y1: number };

export interface ViewState {
  seed: number;
  /** The layer the scatter maps. */
  layer: string;
  proj: Projection;
  /** Id of the input shown in detail. */
  input: string | null;
  sel: Selection | null;
  /** Labels hidden by the class filter. */
  hide: number[];
  probesOnly: boolean;
  wrongOnly: boolean;
  split: SplitFilter;
}

/** URL-encoded, but keeping `:` and `,`, which a fragment allows and a reader can read. */
const enc = (s: string) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',');

const int = (s: string | undefined): number | null => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : null);
const num = (s: string | undefined): number | null => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : null);

export function parseSelection(text: string | null, layers: string[]): Selection | null {
  if (!text) return null;
  const [kind, layer, ...rest] = text.split(':');
  if (!layers.includes(layer)) return null;
  if (kind === 'node') {
    const cluster = int(rest[0]);
    return cluster === null || rest.length !== 1 ? null : { kind, layer, cluster };
  }
  if (kind === 'band') {
    const [from, to, label] = rest.map(int);
    return rest.length !== 3 || from === null || to === null || label === null ? null : { kind, layer, from, to, label };
  }
  if (kind === 'brush') {
    const proj = rest[0];
    const [x0, x1, y0, y1] = rest.slice(1).map(num);
    if ((proj !== 'pca' && proj !== 'umap') || rest.length !== 5 || x0 === null || x1 === null || y0 === null || y1 === null) return null;
    return { kind, layer, proj, x0: Math.min(x0, x1), x1: Math.max(x0, x1), y0: Math.min(y0, y1), y1: Math.max(y0, y1) };
  }
  return null;
}

export function formatSelection(sel: Selection): string {
  switch (sel.kind) {
    case 'node':
      return `node:${sel.layer}:${sel.cluster}`;
    case 'band':
      return `band:${sel.layer}:${sel.from}:${sel.to}:${sel.label}`;
    case 'brush': {
      const r = (v: number) => Number(v.toPrecision(4));
      return `brush:${sel.layer}:${sel.proj}:${r(sel.x0)}:${r(sel.x1)}:${r(sel.y0)}:${r(sel.y1)}`;
    }
  }
}

/** What a view can be: the seeds, the layers (all, input and output included) and the labels of the experiment. */
export interface StateSpace {
  seeds: number[];
  layers: string[];
  /** The layer shown when the URL names none. */
  defaultLayer: string;
  labels: number[];
}

export function defaultState(space: StateSpace): ViewState {
  return { seed: space.seeds[0], layer: space.defaultLayer, proj: 'pca', input: null, sel: null, hide: [], probesOnly: false, wrongOnly: false, split: 'all' };
}

/** The view a fragment describes; anything it names that does not exist falls back to the default. */
export function parseHash(hash: string, space: StateSpace): ViewState {
  const state = defaultState(space);
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const seed = int(params.get('seed') ?? undefined);
  if (seed !== null && space.seeds.includes(seed)) state.seed = seed;
  const layer = params.get('layer');
  if (layer && space.layers.includes(layer)) state.layer = layer;
  const proj = params.get('proj');
  if (proj === 'pca' || proj === 'umap') state.proj = proj;
  const input = params.get('input');
  if (input) state.input = input.slice(0, 200);
  state.sel = parseSelection(params.get('sel'), space.layers);
  const hide = params.get('hide');
  if (hide)
    state.hide = hide
      .split(',')
      .map((s) => int(s))
      .filter((l): l is number => l !== null && space.labels.includes(l));
  state.probesOnly = params.get('probes') === '1';
  state.wrongOnly = params.get('wrong') === '1';
  const split = params.get('split');
  if (split === 'train' || split === 'held-out') state.split = split;
  return state;
}

/** The fragment of a view, with only what differs from the default (the seed always, so that a link names its model). */
export function formatHash(state: ViewState, space: StateSpace): string {
  const d = defaultState(space);
  const parts: string[] = [`seed=${state.seed}`];
  if (state.layer !== d.layer) parts.push(`layer=${enc(state.layer)}`);
  if (state.proj !== d.proj) parts.push(`proj=${state.proj}`);
  if (state.input) parts.push(`input=${enc(state.input)}`);
  if (state.sel) parts.push(`sel=${enc(formatSelection(state.sel))}`);
  if (state.hide.length) parts.push(`hide=${state.hide.join(',')}`);
  if (state.probesOnly) parts.push('probes=1');
  if (state.wrongOnly) parts.push('wrong=1');
  if (state.split !== 'all') parts.push(`split=${state.split}`);
  return `#${parts.join('&')}`;
}
