import { layoutFlows, type Flow, type FlowLayout } from '../figures/flow-layout.ts';
import { classColor } from '../figures/palette.ts';
import { svg } from './dom.ts';
import type { Selection } from './state.ts';
import { say } from './words.ts';

// The cluster-path Sankey: the paths-flow figure's layout (flow-layout.ts),
// drawn as SVG the reader can act on. Each cluster (node) and each band is a
// button: click, or Enter / Space, selects its inputs. One tab stop: the
// arrow keys move between them (a roving tabindex), Home and End jump to the
// ends.

const NODE = 0.08;
const HEIGHT = 360;
const MARGIN = { top: 10, right: 34, bottom: 34, left: 34 };

export interface SankeyInput {
  layers: string[];
  flows: Flow[];
  /** Flows of the selected inputs, drawn over the others. */
  selected: Flow[] | null;
  /** Cluster sizes when there is one hidden layer (no flows). */
  single: Map<number, number>;
  sel: Selection | null;
  name: (label: number) => string;
  /** The hidden layer the scatter shows, marked. */
  current: string | null;
}

type Item = { kind: 'node'; layer: number; cluster: number; size: number; el: SVGElement } | { kind: 'band'; flow: Flow; el: SVGElement };

export class Sankey {
  private root: HTMLElement;
  private items: Item[] = [];
  private active = 0;
  private onSelect: (sel: Selection) => void;

  constructor(root: HTMLElement, onSelect: (sel: Selection) => void) {
    this.root = root;
    this.onSelect = onSelect;
    root.addEventListener('click', (e) => {
      const i = this.itemOf(e.target);
      if (i >= 0) this.choose(i);
    });
    root.addEventListener('keydown', (e) => this.key(e));
  }

  private itemOf(target: EventTarget | null): number {
    const el = (target as Element | null)?.closest?.('[data-item]');
    return el ? Number(el.getAttribute('data-item')) : -1;
  }

  private choose(i: number) {
    const item = this.items[i];
    if (!item) return;
    this.focus(i, false);
    const layers = this.layers;
    this.onSelect(
      item.kind === 'node'
        ? { kind: 'node', layer: layers[item.layer], cluster: item.cluster }
        : { kind: 'band', layer: layers[item.flow.layer], from: item.flow.from, to: item.flow.to, label: item.flow.label },
    );
  }

  private layers: string[] = [];

  private focus(i: number, move = true) {
    const prev = this.items[this.active];
    if (prev) prev.el.setAttribute('tabindex', '-1');
    this.active = Math.max(0, Math.min(this.items.length - 1, i));
    const item = this.items[this.active];
    if (!item) return;
    item.el.setAttribute('tabindex', '0');
    if (move) item.el.focus();
  }

  private key(e: KeyboardEvent) {
    const at = this.itemOf(e.target);
    if (at < 0) return;
    // Focus may have come by a click or a script: the focused item is the active one.
    if (at !== this.active) this.focus(at, false);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    if (e.key in moves) this.focus(this.active + moves[e.key]);
    else if (e.key === 'Home') this.focus(0);
    else if (e.key === 'End') this.focus(this.items.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') this.choose(this.active);
    else return;
    e.preventDefault();
  }

  render(input: SankeyInput) {
    const hadFocus = this.root.contains(document.activeElement);
    this.layers = input.layers;
    const width = Math.max(300, this.root.clientWidth || 600);
    const layout: FlowLayout = layoutFlows(input.layers.length, input.flows, input.single);
    const innerW = width - MARGIN.left - MARGIN.right;
    const columns = Math.max(1, input.layers.length - 1);
    const x = (v: number) => MARGIN.left + ((v + NODE) / (columns + 2 * NODE)) * innerW;
    const scale = layout.height > 0 ? HEIGHT / layout.height : 0;
    const y = (v: number) => MARGIN.top + v * scale;
    const root = svg('svg', {
      viewBox: `0 0 ${width} ${HEIGHT + MARGIN.top + MARGIN.bottom}`,
      width: String(width),
      height: String(HEIGHT + MARGIN.top + MARGIN.bottom),
      class: 'sankey',
      role: 'group',
      'aria-label':
        say(
          'Cluster paths through the hidden layers: one column per hidden layer, one block per cluster, one band per class between two clusters. Arrow keys move between them; Enter selects.',
          'Chemins de clusters à travers les couches cachées\u00A0: une colonne par couche cachée, un bloc par cluster, une bande par classe entre deux clusters. Les flèches passent de l’un à l’autre\u202F; Entrée sélectionne.',
        ),
    });
    const items: Item[] = [];
    const selKey = input.sel && input.sel.kind !== 'brush' ? selectionKey(input.sel, input.layers) : null;
    const bands = svg('g', { class: 'bands' });
    const dim = input.selected !== null || selKey !== null;
    const path = (l: { layer: number; y1: number; y2: number }) => {
      const x1 = x(l.layer + NODE / 2);
      const x2 = x(l.layer + 1 - NODE / 2);
      const xm = (x1 + x2) / 2;
      return `M${x1},${y(l.y1)}C${xm},${y(l.y1)} ${xm},${y(l.y2)} ${x2},${y(l.y2)}`;
    };
    for (const l of layout.links) {
      const key = `band ${l.layer} ${l.from} ${l.to} ${l.label}`;
      const label = `${input.name(l.label)}: ${l.count} input${l.count === 1 ? '' : 's'}, ${input.layers[l.layer]} c${l.from} to ${input.layers[l.layer + 1]} c${l.to}`;
      const el = svg('path', {
        d: path(l),
        stroke: classColor(l.label),
        'stroke-width': String(Math.max(1, l.count * scale)),
        'stroke-opacity': key === selKey ? '0.95' : dim ? '0.25' : '0.55',
        fill: 'none',
        class: key === selKey ? 'band chosen' : 'band',
        role: 'button',
        tabindex: '-1',
        'aria-label': label,
        'aria-pressed': String(key === selKey),
        'data-item': String(items.length),
        'data-label': String(l.label),
        'data-count': String(l.count),
        'data-key': key,
      });
      el.append(svg('title', {}, label));
      bands.append(el);
      items.push({ kind: 'band', flow: l, el });
    }
    root.append(bands);
    if (input.selected?.length) {
      // The selection's share of each band, drawn along the band's middle.
      const where = new Map(layout.links.map((l) => [`${l.layer} ${l.from} ${l.to} ${l.label}`, l]));
      const over = svg('g', { class: 'selected-bands', 'aria-hidden': 'true' });
      for (const f of input.selected) {
        const l = where.get(`${f.layer} ${f.from} ${f.to} ${f.label}`);
        if (!l) continue;
        over.append(
          svg('path', { d: path(l), stroke: classColor(f.label), 'stroke-width': String(Math.max(1.5, f.count * scale)), 'stroke-opacity': '1', fill: 'none' }),
        );
      }
      root.append(over);
    }
    const nodes = svg('g', { class: 'nodes' });
    for (const n of layout.nodes) {
      const key = `node ${n.layer} ${n.cluster}`;
      const label = `${input.layers[n.layer]} cluster c${n.cluster}: ${n.size} input${n.size === 1 ? '' : 's'}`;
      const g = svg('g', {
        class: key === selKey ? 'node chosen' : 'node',
        role: 'button',
        tabindex: '-1',
        'aria-label': label,
        'aria-pressed': String(key === selKey),
        'data-item': String(items.length),
        'data-key': key,
        'data-count': String(n.size),
      });
      const h = Math.max(1, (n.y2 - n.y1) * scale);
      g.append(svg('title', {}, label));
      g.append(
        svg('rect', { x: String(x(n.layer - NODE / 2)), width: String(x(n.layer + NODE / 2) - x(n.layer - NODE / 2)), y: String(y(n.y1)), height: String(h) }),
      );
      if (h >= 12)
        g.append(
          svg('text', { x: String(x(n.layer)), y: String(y((n.y1 + n.y2) / 2)), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, `c${n.cluster}`),
        );
      nodes.append(g);
      items.push({ kind: 'node', layer: n.layer, cluster: n.cluster, size: n.size, el: g });
    }
    root.append(nodes);
    const axis = svg('g', { class: 'axis', 'aria-hidden': 'true' });
    input.layers.forEach((name, i) => {
      axis.append(
        svg('text', { x: String(x(i)), y: String(HEIGHT + MARGIN.top + 22), 'text-anchor': 'middle', class: name === input.current ? 'current' : '' }, name),
      );
    });
    root.append(axis);
    // Nodes first, then bands, left to right: the order the arrow keys follow.
    const order = [...items].sort((a, b) => column(a) - column(b) || (a.kind === b.kind ? 0 : a.kind === 'node' ? -1 : 1));
    this.items = order;
    order.forEach((it, i) => it.el.setAttribute('data-item', String(i)));
    const chosen = order.findIndex((it) => it.el.getAttribute('data-key') === selKey);
    this.active = Math.max(0, chosen);
    if (order[this.active]) order[this.active].el.setAttribute('tabindex', '0');
    this.root.replaceChildren(root);
    if (hadFocus && order[this.active]) order[this.active].el.focus();
  }
}

const column = (it: Item) => (it.kind === 'node' ? it.layer : it.flow.layer + 0.5);

function selectionKey(sel: Exclude<Selection, { kind: 'brush' }>, layers: string[]): string {
  const l = layers.indexOf(sel.layer);
  return sel.kind === 'node' ? `node ${l} ${sel.cluster}` : `band ${l} ${sel.from} ${sel.to} ${sel.label}`;
}
