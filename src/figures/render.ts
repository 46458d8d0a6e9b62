import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Result } from '../results/schema.ts';
import { drawKey } from './key.ts';
import type { FigureDef } from './types.ts';

// The page, the SVG, the PNG and the PDF of a figure are drawn from one
// rendering: kept per result object and figure for the build's lifetime.
const rendered = new WeakMap<Result, Map<string, string>>();

/** Renders a figure of a result to an SVG string, on a server-side DOM, its key drawn inside it. */
export function renderSvg(def: FigureDef, result: Result): string {
  let done = rendered.get(result);
  if (!done) rendered.set(result, (done = new Map()));
  const hit = done.get(def.name);
  if (hit !== undefined) return hit;
  const svg = draw(def, result);
  done.set(def.name, svg);
  return svg;
}

function draw(def: FigureDef, result: Result): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const rows = def.rows(result);
  const options = def.plot(result, rows);
  const el = Plot.plot({ ...options, document, ariaLabel: def.title, ariaDescription: def.caption(result) } as Plot.PlotOptions) as unknown as Element;
  if (el.localName !== 'svg') throw new Error(`figure ${def.name} rendered a <${el.localName}>, expected an <svg>`);
  const key = def.key?.(result);
  if (key) drawKey(el, key);
  el.setAttribute('role', 'img');
  // Inside role="img" the marks are presentational: labels on them are not read, and ARIA forbids them on a bare <g>.
  for (const child of el.querySelectorAll('[aria-label]')) child.removeAttribute('aria-label');
  return xmlSafeAttributes(stableIds(el.outerHTML, `${result.id}-${def.name}`));
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
export function toCsv(def: FigureDef, result: Result): string {
  const rows = def.rows(result);
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/**
 * HTML lets `<` and `>` stand in an attribute value; XML does not, and the
 * SVG is also published as a file of its own and rasterised. Strings from an
 * experiment file (class names in titles and labels) can hold them.
 */
function xmlSafeAttributes(svg: string): string {
  return svg.replace(/(\s[\w:-]+=")([^"]*)"/g, (_, head: string, value: string) => `${head}${value.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
}
