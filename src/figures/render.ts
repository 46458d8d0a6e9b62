import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Lang } from '../i18n/index.ts';
import type { Result } from '../results/schema.ts';
import { drawKey } from './key.ts';
import { layerName } from '../i18n/layers.ts';
import type { FigureDef, PlotOptions } from './types.ts';

// The page, the SVG, the PNG and the PDF of a figure are drawn from one
// rendering: kept per result object and figure for the build's lifetime.
const rendered = new WeakMap<Result, Map<string, string>>();

/** Renders a figure of a result to an SVG string, on a server-side DOM, its key drawn inside it. */
export function renderSvg(def: FigureDef, result: Result, lang: Lang = 'en'): string {
  let done = rendered.get(result);
  if (!done) rendered.set(result, (done = new Map()));
  const hit = done.get(`${lang}/${def.name}`);
  if (hit !== undefined) return hit;
  const svg = draw(def, result, lang);
  done.set(`${lang}/${def.name}`, svg);
  return svg;
}

function draw(def: FigureDef, result: Result, lang: Lang): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const rows = def.rows(result, lang);
  const options = localiseScales(def.plot(result, rows, lang), result, lang);
  const el = Plot.plot({
    ...options,
    document,
    ariaLabel: def.title[lang],
    ariaDescription: def.caption(result, lang),
  } as Plot.PlotOptions) as unknown as Element;
  if (el.localName !== 'svg') throw new Error(`figure ${def.name} rendered a <${el.localName}>, expected an <svg>`);
  const key = def.key?.(result, lang);
  if (key) drawKey(el, key, lang);
  el.setAttribute('role', 'img');
  // Inside role="img" the marks are presentational: labels on them are not read, and ARIA forbids them on a bare <g>.
  for (const child of el.querySelectorAll('[aria-label]')) child.removeAttribute('aria-label');
  return xmlSafeAttributes(stableIds(el.outerHTML, `${result.id}-${def.name}`));
}

const SCALES = ['x', 'y', 'fx', 'fy', 'color'] as const;

/**
 * French axes: numbers with a decimal comma and narrow spaces between
 * thousands, and layers named as the French captions name them. A figure's
 * own tick format is kept and its output localised.
 */
function localiseScales(options: PlotOptions, result: Result, lang: Lang): PlotOptions {
  if (lang === 'en') return options;
  const layers = new Set(result.runs[0].layers.map((l) => l.name));
  const out: PlotOptions = { ...options };
  const frNumber = (d: number) => d.toLocaleString('fr-FR', { maximumFractionDigits: 6 }).replace(/\u00A0/g, '\u202F');
  for (const key of SCALES) {
    const scale = options[key] as Record<string, unknown> | undefined;
    if (!scale || typeof scale !== 'object' || scale.axis === null) continue;
    const own = typeof scale.tickFormat === 'function' ? (scale.tickFormat as (d: unknown, i: number) => unknown) : undefined;
    if (typeof scale.tickFormat === 'string' && scale.tickFormat !== 'd' && scale.tickFormat !== '~g') continue;
    const tickFormat = (d: unknown, i: number) => {
      const shown = own ? own(d, i) : d;
      if (typeof d === 'string' && layers.has(d)) return String(shown).replace(d, layerName(d, lang));
      if (typeof shown === 'number') return frNumber(shown);
      if (typeof shown === 'string' && /^-?\d+\.\d+/.test(shown)) return shown.replace(/(\d)\.(\d)/g, '$1,$2');
      return shown;
    };
    out[key] = { ...scale, tickFormat };
  }
  return out;
}

/**
 * Plot numbers its markers and clip paths from a counter shared by the whole
 * process, so the same figure would differ from one build to the next and two
 * figures on a page could collide. Renumber them per figure.
 */
function stableIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  let out = svg;
  ids.forEach((id, i) => {
    const safe = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(id="|#)${safe}(?=[")])`, 'g'), `$1${prefix}-${i}`);
  });
  return out;
}

/** A figure's data as CSV (RFC 4180 quoting). */
export function toCsv(def: FigureDef, result: Result, lang: Lang = 'en'): string {
  const rows = def.rows(result, lang);
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

/**
 * HTML lets `<` and `>` stand in an attribute value; XML does not, and the
 * SVG is also published as a file of its own and rasterised. Strings from an
 * experiment file (class names in titles and labels) can hold them.
 */
function xmlSafeAttributes(svg: string): string {
  return svg.replace(/(\s[\w:-]+=")([^"]*)"/g, (_, head: string, value: string) => `${head}${value.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
}
