import { layoutFlows, type Flow, type FlowLayout } from '../figures/flow-layout.ts';
import { classColor } from '../figures/palette.ts';
import { svg } from './dom.ts';
import type { Selection } from './state.ts';
import { layerText, say } from './words.ts';

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
  /** Names what the flows depend on (seed, filters): the same key, the same layout, kept. */
  layoutKey: string;
  flows: () => Flow[];
  /** Cluster sizes when there is one hidden layer (no flows). */
  single: () => Map<number, number>;
  /** Flows of the selected inputs (a brushed rectangle), drawn over the others. */
  selected: Flow[] | null;
  sel: Selection | null;
  name: (label: number) => string;
  /** The hidden layer the scatter shows, marked. */
  current: string | null;
}

type Item =
  | { kind: 'node'; layer: number; cluster: number; size: number; el: SVGElement; key: string }
  | { kind: 'band'; flow: Flow; el: SVGElement; key: string };

export class Sankey {
  private root: HTMLElement;
  private items: Item[] = [];
  private active = 0;
  private onSelect: (sel: Selection) => void;
  private layers: string[] = [];
  private built = '';
  private over: SVGElement | null = null;
  private axis: SVGElement[] = [];
  private path: (l: { layer: number; y1: number; y2: number }) => string = () => '';
  private where = new Map<string, FlowLayout['links'][number]>();
  private scale = 0;
  /** What the item under the pointer or with the focus is, in words (one line under the chart). */
  private readout: HTMLElement;

  constructor(root: HTMLElement, onSelect: (sel: Selection) => void) {
    this.root = root;
    this.onSelect = onSelect;
    root.addEventListener('click', (e) => {
      const i = this.itemOf(e.target);
      if (i >= 0) this.choose(i);
    });
    root.addEventListener('keydown', (e) => this.key(e));
    this.readout = document.createElement('p');
    this.readout.className = 'sankey-readout';
    this.readout.setAttribute('aria-hidden', 'true');
    const show = (e: Event) => {
      const i = this.itemOf(e.target);
      this.readout.textContent = i >= 0 ? (this.items[i].el.getAttribute('aria-label') ?? '') : '\u00a0';
    };
    root.addEventListener('pointerover', show);
    root.addEventListener('focusin', show);
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

  /** Draws the Sankey: laid out and built again only when its flows or its width change, else only its selection restyled. */
  render(input: SankeyInput, available: number) {
    const width = Math.max(300, Math.round(available || 600));
    const key = `${input.layoutKey} ${width}`;
    if (key !== this.built) {
      const hadFocus = this.root.contains(document.activeElement);
      this.build(input, width);
      this.built = key;
      this.restyle(input);
      if (hadFocus) this.items[this.active]?.el.focus();
    } else this.restyle(input);
  }

  private build(input: SankeyInput, width: number) {
    this.layers = input.layers;
    const layout: FlowLayout = layoutFlows(input.layers.length, input.flows(), input.layers.length === 1 ? input.single() : undefined);
    const innerW = width - MARGIN.left - MARGIN.right;
    const columns = Math.max(1, input.layers.length - 1);
    const x = (v: number) => MARGIN.left + ((v + NODE) / (columns + 2 * NODE)) * innerW;
    const scale = layout.height > 0 ? HEIGHT / layout.height : 0;
    this.scale = scale;
    const y = (v: number) => MARGIN.top + v * scale;
    const root = svg('svg', {
      viewBox: `0 0 ${width} ${HEIGHT + MARGIN.top + MARGIN.bottom}`,
      width: String(width),
      height: String(HEIGHT + MARGIN.top + MARGIN.bottom),
      class: 'sankey',
      role: 'group',
      'aria-label': say(
        'Cluster paths through the hidden layers: one column per hidden layer, one block per cluster, one band per class between two clusters. Arrow keys move between them; Enter selects.',
        'Chemins de clusters à travers les couches cachées\u00A0: une colonne par couche cachée, un bloc par cluster, une bande par classe entre deux clusters. Les flèches passent de l’un à l’autre\u202F; Entrée sélectionne.',
      ),
    });
    this.path = (l) => {
      const x1 = x(l.layer + NODE / 2);
      const x2 = x(l.layer + 1 - NODE / 2);
      const xm = (x1 + x2) / 2;
      return `M${x1},${y(l.y1)}C${xm},${y(l.y1)} ${xm},${y(l.y2)} ${x2},${y(l.y2)}`;
    };
    // Nodes first, then bands, left to right: the order the arrow keys follow.
    type Built = ({ kind: 'node'; layer: number; cluster: number; size: number } | { kind: 'band'; flow: Flow }) & { key: string; label: string };
    const bandItems: Built[] = layout.links.map((l) => ({
      kind: 'band',
      flow: l,
      key: `band ${l.layer} ${l.from} ${l.to} ${l.label}`,
      label: `${input.name(l.label)}: ${l.count} input${l.count === 1 ? '' : 's'}, ${input.layers[l.layer]} c${l.from} to ${input.layers[l.layer + 1]} c${l.to}`,
    }));
    const nodeItems: Built[] = layout.nodes.map((n) => ({
      kind: 'node',
      layer: n.layer,
      cluster: n.cluster,
      size: n.size,
      key: `node ${n.layer} ${n.cluster}`,
      label: `${input.layers[n.layer]} cluster c${n.cluster}: ${n.size} input${n.size === 1 ? '' : 's'}`,
    }));
    const order = [...nodeItems, ...bandItems].sort((a, b) => column(a) - column(b) || (a.kind === b.kind ? 0 : a.kind === 'node' ? -1 : 1));
    const at = new Map(order.map((it, i) => [it, i]));
    // Thousands of elements: written as one string (every text escaped) and parsed at once, several times faster than element by element.
    const parts: string[] = ['<g class="bands">'];
    layout.links.forEach((l, i) => {
      const it = bandItems[i];
      parts.push(
        `<path d="${this.path(l)}" stroke="${classColor(l.label)}" stroke-width="${Math.max(1, l.count * scale)}" fill="none" class="band" role="button" tabindex="-1" aria-label="${escape(it.label)}" data-label="${l.label}" data-count="${l.count}" data-key="${it.key}" data-item="${at.get(it)}"></path>`,
      );
    });
    parts.push('</g><g class="selected-bands" aria-hidden="true"></g><g class="nodes">');
    layout.nodes.forEach((n, i) => {
      const it = nodeItems[i];
      const h = Math.max(1, (n.y2 - n.y1) * scale);
      const x0 = x(n.layer - NODE / 2);
      parts.push(
        `<g class="node" role="button" tabindex="-1" aria-label="${escape(it.label)}" data-key="${it.key}" data-count="${n.size}" data-item="${at.get(it)}"><rect x="${x0}" width="${x(n.layer + NODE / 2) - x0}" y="${y(n.y1)}" height="${h}"></rect>${
          // Named beside the block (left of the first column, right of the others), as the figure does: a block is narrower than its name.
          h >= 12
            ? `<text x="${n.layer === 0 ? x0 - 3 : x(n.layer + NODE / 2) + 3}" y="${y((n.y1 + n.y2) / 2)}" text-anchor="${n.layer === 0 ? 'end' : 'start'}" dominant-baseline="central">c${n.cluster}</text>`
            : ''
        }</g>`,
      );
    });
    parts.push('</g><g class="axis" aria-hidden="true">');
    input.layers.forEach((name, i) => parts.push(`<text x="${x(i)}" y="${HEIGHT + MARGIN.top + 22}" text-anchor="middle">${escape(layerText(name))}</text>`));
    parts.push('</g>');
    root.innerHTML = parts.join('');
    const els = root.querySelectorAll<SVGElement>('[data-item]');
    this.items = order.map(() => null as unknown as Item);
    for (const el of els) {
      const i = Number(el.getAttribute('data-item'));
      const { label: _, ...it } = order[i];
      this.items[i] = { ...it, el } as Item;
    }
    this.where = new Map(layout.links.map((l) => [`${l.layer} ${l.from} ${l.to} ${l.label}`, l]));
    this.over = root.querySelector('.selected-bands');
    this.axis = [...root.querySelectorAll<SVGElement>('.axis text')];
    this.active = 0;
    this.readout.textContent = '\u00a0';
    this.root.replaceChildren(root, this.readout);
  }

  /** What depends on the selection: the chosen item, the others faded, the brushed inputs' share of each band. */
  private restyle(input: SankeyInput) {
    const selKey = input.sel && input.sel.kind !== 'brush' ? selectionKey(input.sel, input.layers) : null;
    const dim = input.selected !== null || selKey !== null;
    let chosen = -1;
    this.items.forEach((it, i) => {
      const on = it.key === selKey;
      if (on) chosen = i;
      it.el.setAttribute('aria-pressed', String(on));
      it.el.setAttribute('class', `${it.kind}${on ? ' chosen' : ''}`);
      if (it.kind === 'band') it.el.setAttribute('stroke-opacity', on ? '0.95' : dim ? '0.25' : '0.55');
    });
    this.axis.forEach((t, i) => t.setAttribute('class', input.layers[i] === input.current ? 'current' : ''));
    const over = this.over;
    if (over) {
      over.replaceChildren();
      for (const f of input.selected ?? []) {
        const l = this.where.get(`${f.layer} ${f.from} ${f.to} ${f.label}`);
        if (l)
          over.append(
            svg('path', {
              d: this.path(l),
              stroke: classColor(f.label),
              'stroke-width': String(Math.max(1.5, f.count * this.scale)),
              'stroke-opacity': '1',
              fill: 'none',
            }),
          );
      }
    }
    if (chosen >= 0 && chosen !== this.active) {
      this.items[this.active]?.el.setAttribute('tabindex', '-1');
      this.active = chosen;
    }
    this.items[this.active]?.el.setAttribute('tabindex', '0');
  }
}

const column = (it: { kind: 'node'; layer: number } | { kind: 'band'; flow: Flow }) => (it.kind === 'node' ? it.layer : it.flow.layer + 0.5);

/** Text made safe inside markup, as an attribute value or an element's text. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function selectionKey(sel: Exclude<Selection, { kind: 'brush' }>, layers: string[]): string {
  const l = layers.indexOf(sel.layer);
  return sel.kind === 'node' ? `node ${l} ${sel.cluster}` : `band ${l} ${sel.from} ${sel.to} ${sel.label}`;
}
