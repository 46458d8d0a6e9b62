import * as Plot from '@observablehq/plot';
import type { Result } from '../results/schema.ts';
import type { Lang } from '../i18n/index.ts';
import { className, say } from './labels.ts';
import { classColor } from './palette.ts';

// A figure's key, drawn inside its SVG above the plot: the page shows the
// same SVG a thesis downloads, so the key travels with the figure (Plot's own
// legends are HTML, and its colour ramps need a canvas).

export interface KeyItem {
  label: string;
  color: string;
  /** square: a filled class swatch; line or dash: a series; dot or ring: a point mark. */
  shape?: 'square' | 'line' | 'dash' | 'dot' | 'ring';
}

export interface KeyRamp {
  label: string;
  scheme: Plot.ColorScheme;
  domain: [number, number];
  reverse?: boolean;
  /** How the ends and the middle are printed. */
  format?: (x: number) => string;
}

export interface FigureKey {
  items?: KeyItem[];
  ramp?: KeyRamp;
}

/** Each class's site-wide colour, "(unseen)" after the classes the model never trained on. */
export function classKey(r: Result, labels: number[], lang: Lang = 'en'): FigureKey {
  const probes = new Set(r.dataset.probes);
  const note = (l: number) => (probes.has(l) ? (l < 0 ? say(lang, ' (far outlier)', ' (très éloignée)') : say(lang, ' (unseen)', ' (inconnue)')) : '');
  return { items: labels.map((l) => ({ label: `${className(r, l)}${note(l)}`, color: classColor(l), shape: 'square' as const })) };
}

const FONT = 11;
const ROW = 17;
const SWATCH = 10;
const LINE = 18;
const GAP = 16;
const RAMP_W = 150;
const RAMP_STEPS = 30;

/** The width of a string at `size` px in a sans face, from the widths of Arial's glyph classes (no font needed). */
export function textWidth(text: string, size = FONT): number {
  let em = 0;
  for (const ch of text) {
    if ("iljI.,:;|!'` ".includes(ch)) em += 0.28;
    else if ('ft()[]r-'.includes(ch)) em += 0.36;
    else if ('mwMW@%'.includes(ch)) em += 0.86;
    else if (/[A-Z]/.test(ch)) em += 0.68;
    else if (/[0-9]/.test(ch)) em += 0.56;
    else em += ch.codePointAt(0)! > 0x2000 ? 0.8 : 0.54;
  }
  return em * size;
}

interface Placed {
  x: number;
  y: number;
  width: number;
}

/** Where each entry goes, left to right, wrapped at `width`. */
function flow(widths: number[], width: number, left: number): { at: Placed[]; rows: number } {
  const at: Placed[] = [];
  let x = left;
  let row = 0;
  for (const w of widths) {
    if (x > left && x + w > width - 6) {
      row++;
      x = left;
    }
    at.push({ x, y: row * ROW, width: w });
    x += w + GAP;
  }
  return { at, rows: widths.length ? row + 1 : 0 };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Draws `key` at the top of a rendered Plot `<svg>`: the plot moves down by
 * the key's height, and the root's height and viewBox grow to match.
 */
export function drawKey(svg: Element, key: FigureKey, lang: Lang = 'en'): void {
  const items = key.items ?? [];
  if (!items.length && !key.ramp) return;
  const doc = svg.ownerDocument;
  const el = (name: string, attrs: Record<string, string | number>) => {
    const e = doc.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const g = el('g', { class: 'figure-key', 'text-anchor': 'start', 'font-size': FONT, transform: 'translate(0,6)' });
  const mark = (it: KeyItem) => (it.shape === 'line' || it.shape === 'dash' ? LINE : SWATCH);
  const widths = items.map((it) => mark(it) + 5 + textWidth(it.label));
  const rampWidth = key.ramp ? textWidth(key.ramp.label) + 8 + RAMP_W : 0;
  const { at, rows } = flow([...widths, ...(key.ramp ? [rampWidth] : [])], width, 10);
  items.forEach((it, i) => {
    const { x, y } = at[i];
    const mid = y + ROW / 2;
    const shape = it.shape ?? 'square';
    if (shape === 'square') g.appendChild(el('rect', { x, y: mid - SWATCH / 2, width: SWATCH, height: SWATCH, rx: 1.5, fill: it.color }));
    else if (shape === 'dot') g.appendChild(el('circle', { cx: x + SWATCH / 2, cy: mid, r: 3.2, fill: it.color }));
    else if (shape === 'ring') g.appendChild(el('circle', { cx: x + SWATCH / 2, cy: mid, r: 3.2, fill: 'none', stroke: it.color, 'stroke-width': 1.3 }));
    else
      g.appendChild(
        el('line', {
          x1: x,
          x2: x + LINE,
          y1: mid,
          y2: mid,
          stroke: it.color,
          'stroke-width': 2.5,
          ...(shape === 'dash' ? { 'stroke-dasharray': '4,3' } : {}),
        }),
      );
    const text = el('text', { x: x + mark(it) + 5, y: mid, dy: '0.32em' });
    text.textContent = it.label;
    g.appendChild(text);
  });
  if (key.ramp) {
    const { x, y } = at[items.length];
    const { label, scheme, domain, format = (v: number) => (lang === 'fr' ? String(+v.toFixed(2)).replace('.', ',') : String(+v.toFixed(2))) } = key.ramp;
    const title = el('text', { x, y: y + ROW / 2, dy: '0.32em' });
    title.textContent = label;
    g.appendChild(title);
    const color = Plot.scale({ color: { type: 'linear', scheme, domain, reverse: key.ramp.reverse ?? false } });
    const x0 = x + textWidth(label) + 8;
    const step = RAMP_W / RAMP_STEPS;
    for (let i = 0; i < RAMP_STEPS; i++) {
      const v = domain[0] + ((i + 0.5) / RAMP_STEPS) * (domain[1] - domain[0]);
      g.appendChild(el('rect', { x: +(x0 + i * step).toFixed(2), y: y + 2, width: +(step + 0.3).toFixed(2), height: 8, fill: String(color.apply(v)) }));
    }
    // The ramp's ends and middle under it, so that a reader can read a cell's value.
    [0, 0.5, 1].forEach((t) => {
      const tick = el('text', { x: +(x0 + t * RAMP_W).toFixed(2), y: y + 16, 'font-size': 9, 'text-anchor': t === 0 ? 'start' : t === 1 ? 'end' : 'middle' });
      tick.textContent = format(domain[0] + t * (domain[1] - domain[0]));
      g.appendChild(tick);
    });
  }
  const keyHeight = rows * ROW + (key.ramp ? 8 : 4) + 6;
  const plot = el('g', { transform: `translate(0,${keyHeight})` });
  for (const child of [...svg.childNodes]) if ((child as Element).localName !== 'style') plot.appendChild(child);
  svg.appendChild(g);
  svg.appendChild(plot);
  svg.setAttribute('height', String(height + keyHeight));
  svg.setAttribute('viewBox', `0 0 ${width} ${height + keyHeight}`);
}
