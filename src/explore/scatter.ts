import { classColor } from '../figures/palette.ts';
import { axes } from './axes.ts';
import { h } from './dom.ts';

// One layer's 2-D map of the inputs: the frame and axes in SVG (axes.ts), the
// points (thousands) on a canvas over them, so that a redraw on hover or
// selection costs a few milliseconds. Pointer: hover shows the input, a click opens it, a drag
// brushes a rectangle. Keyboard: the arrow keys move to the nearest input in
// that direction, Enter opens it, Escape clears the selection.

export interface ScatterData {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** The rows shown. */
  rows: Int32Array;
  labels: Int32Array;
  xLabel: string;
  yLabel: string;
  description: string;
}

export interface ScatterHandlers {
  hover(row: number | null): void;
  open(row: number): void;
  brush(rect: { x0: number; x1: number; y0: number; y1: number }): void;
  clear(): void;
  /** The tooltip's content for a row. */
  tip(row: number): Node;
}

/** Half the side of a point's square, in pixels. */
const RADIUS = 2.1;
const CELL = 12;

export class Scatter {
  private root: HTMLElement;
  private host: HTMLElement;
  private canvas: HTMLCanvasElement;
  /** The rings (the open input, the one under the cursor), over the points: a hover redraws only this. */
  private rings: HTMLCanvasElement;
  private tipEl: HTMLElement;
  private brushEl: HTMLElement;
  private handlers: ScatterHandlers;
  private data: ScatterData | null = null;
  private px = new Float32Array(0);
  private py = new Float32Array(0);
  private grid = new Map<number, number[]>();
  private width = 0;
  private height = 0;
  private sx: ((v: number) => number) | null = null;
  private sy: ((v: number) => number) | null = null;
  private ix: ((v: number) => number) | null = null;
  private iy: ((v: number) => number) | null = null;
  private selected: Uint8Array | null = null;
  private focusRow: number | null = null;
  /** Index (into data.rows) of the input under the pointer or the keyboard cursor. */
  private cursor = -1;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  private brushRect: { x0: number; x1: number; y0: number; y1: number } | null = null;

  constructor(root: HTMLElement, handlers: ScatterHandlers) {
    this.root = root;
    this.handlers = handlers;
    this.host = h('div', { class: 'scatter-axes' });
    this.canvas = h('canvas', { class: 'scatter-points', 'aria-hidden': 'true' });
    this.rings = h('canvas', { class: 'scatter-rings', 'aria-hidden': 'true' });
    this.brushEl = h('div', { class: 'brush', hidden: '' });
    this.tipEl = h('div', { class: 'tip', hidden: '', 'aria-hidden': 'true' });
    root.append(this.host, this.canvas, this.rings, this.brushEl, this.tipEl);
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerleave', () => {
      if (!this.drag) this.setCursor(-1);
    });
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointerup', (e) => this.up(e));
    root.addEventListener('keydown', (e) => this.key(e));
  }

  /** New points, drawn `width` pixels wide (the caller measures it, so that drawing never forces a layout). */
  setData(data: ScatterData, width: number) {
    this.data = data;
    this.width = Math.max(280, Math.round(width || 600));
    this.cursor = -1;
    this.layout();
  }

  setHighlight(selected: Int32Array | null, focusRow: number | null) {
    if (selected && this.data) {
      this.selected = new Uint8Array(this.data.labels.length);
      for (const r of selected) this.selected[r] = 1;
    } else this.selected = null;
    this.focusRow = focusRow;
    this.draw();
  }

  /** The brushed rectangle to show, in data coordinates (null: none). */
  setBrush(rect: { x0: number; x1: number; y0: number; y1: number } | null) {
    this.brushRect = rect;
    this.placeBrush();
  }

  /** Recomputes the axes and every point's place (on new data or a new width). */
  layout() {
    const data = this.data;
    if (!data) return;
    this.height = Math.round(Math.min(560, Math.max(260, this.width * 0.72)));
    const extent = (v: ArrayLike<number>) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const r of data.rows) {
        lo = Math.min(lo, v[r]);
        hi = Math.max(hi, v[r]);
      }
      if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
      const pad = (hi - lo || 1) * 0.04;
      return [lo - pad, hi + pad];
    };
    const {
      svg: fig,
      x,
      y,
    } = axes({
      width: this.width,
      height: this.height,
      margin: { top: 22, right: 12, bottom: 36, left: 48 },
      x: { domain: extent(data.x) as [number, number], label: data.xLabel },
      y: { domain: extent(data.y) as [number, number], label: data.yLabel },
      description: data.description,
    });
    this.sx = x.apply;
    this.sy = y.apply;
    this.ix = x.invert;
    this.iy = y.invert;
    this.host.replaceChildren(fig);
    const n = data.rows.length;
    this.px = new Float32Array(n);
    this.py = new Float32Array(n);
    this.grid.clear();
    for (let i = 0; i < n; i++) {
      const r = data.rows[i];
      const px = (this.px[i] = x.apply(data.x[r]));
      const py = (this.py[i] = y.apply(data.y[r]));
      const key = Math.floor(px / CELL) * 4096 + Math.floor(py / CELL);
      const cell = this.grid.get(key);
      if (cell) cell.push(i);
      else this.grid.set(key, [i]);
    }
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.canvas, this.rings]) {
      c.width = Math.round(this.width * dpr);
      c.height = Math.round(this.height * dpr);
      c.style.width = `${this.width}px`;
      c.style.height = `${this.height}px`;
    }
    this.placeBrush();
    this.draw();
  }

  draw() {
    const data = this.data;
    const ctx = this.canvas.getContext('2d');
    if (!data || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const n = data.rows.length;
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const label = data.labels[data.rows[i]];
      const g = groups.get(label);
      if (g) g.push(i);
      else groups.set(label, [i]);
    }
    const sel = this.selected;
    // How faint the unselected points are: a little less so on a dark page, where the darker class colours sink.
    const faded = Number(getComputedStyle(this.root).getPropertyValue('--faded-points')) || 0.14;
    // Unselected first (faded when there is a selection), then the selection on top.
    for (const pass of sel ? [0, 1] : [1]) {
      ctx.globalAlpha = sel && pass === 0 ? faded : 0.85;
      for (const [label, idx] of groups) {
        ctx.fillStyle = classColor(label);
        ctx.beginPath();
        for (const i of idx) {
          if (sel && sel[data.rows[i]] !== pass) continue;
          // Squares: a canvas fills thousands of them several times faster than circles.
          ctx.rect(this.px[i] - RADIUS, this.py[i] - RADIUS, 2 * RADIUS, 2 * RADIUS);
        }
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
    this.drawRings();
  }

  /** The open input's ring and the cursor's, on their own canvas. */
  private drawRings() {
    const data = this.data;
    const ctx = this.rings.getContext('2d');
    if (!data || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    const color = getComputedStyle(this.root).color;
    const ring = (i: number, width: number, radius: number) => {
      ctx.beginPath();
      ctx.arc(this.px[i], this.py[i], radius, 0, 2 * Math.PI);
      ctx.lineWidth = width;
      ctx.strokeStyle = color;
      ctx.stroke();
    };
    if (this.focusRow !== null) {
      const i = indexOf(data.rows, this.focusRow);
      if (i >= 0) ring(i, 2.5, 7);
    }
    if (this.cursor >= 0) ring(this.cursor, 1.5, 5);
  }

  private nearest(mx: number, my: number, radius = CELL): number {
    const cx = Math.floor(mx / CELL);
    const cy = Math.floor(my / CELL);
    let best = -1;
    let bestD = radius * radius;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const cell = this.grid.get((cx + dx) * 4096 + cy + dy);
        if (!cell) continue;
        for (const i of cell) {
          const d = (this.px[i] - mx) ** 2 + (this.py[i] - my) ** 2;
          if (d < bestD) [best, bestD] = [i, d];
        }
      }
    return best;
  }

  private local(e: PointerEvent): [number, number] {
    const box = this.canvas.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  }

  private move(e: PointerEvent) {
    const [mx, my] = this.local(e);
    if (this.drag) {
      if (Math.abs(mx - this.drag.x) + Math.abs(my - this.drag.y) > 4) this.drag.moved = true;
      if (this.drag.moved) this.showBrush(this.drag.x, this.drag.y, mx, my);
      return;
    }
    this.setCursor(this.nearest(mx, my));
  }

  private down(e: PointerEvent) {
    if (e.button !== 0) return;
    const [x, y] = this.local(e);
    this.drag = { x, y, moved: false };
    this.canvas.setPointerCapture(e.pointerId);
  }

  private up(e: PointerEvent) {
    const drag = this.drag;
    this.drag = null;
    if (!drag || !this.data) return;
    const [mx, my] = this.local(e);
    if (drag.moved && this.ix && this.iy) {
      const [a, b] = [this.ix(drag.x), this.ix(mx)];
      const [c, d] = [this.iy(drag.y), this.iy(my)];
      this.handlers.brush({ x0: Math.min(a, b), x1: Math.max(a, b), y0: Math.min(c, d), y1: Math.max(c, d) });
    } else {
      const i = this.nearest(mx, my);
      if (i >= 0) this.handlers.open(this.data.rows[i]);
    }
  }

  private showBrush(x0: number, y0: number, x1: number, y1: number) {
    Object.assign(this.brushEl.style, {
      left: `${Math.min(x0, x1)}px`,
      top: `${Math.min(y0, y1)}px`,
      width: `${Math.abs(x1 - x0)}px`,
      height: `${Math.abs(y1 - y0)}px`,
    });
    this.brushEl.hidden = false;
  }

  private placeBrush() {
    const r = this.brushRect;
    if (!r || !this.sx || !this.sy) {
      this.brushEl.hidden = true;
      return;
    }
    this.showBrush(this.sx(r.x0), this.sy(r.y0), this.sx(r.x1), this.sy(r.y1));
  }

  private setCursor(i: number) {
    if (i === this.cursor) return;
    this.cursor = i;
    this.drawRings();
    const data = this.data;
    if (i < 0 || !data) {
      this.tipEl.hidden = true;
      this.handlers.hover(null);
      return;
    }
    const row = data.rows[i];
    this.tipEl.replaceChildren(this.handlers.tip(row));
    this.tipEl.hidden = false;
    // Beside the point, kept inside the plot.
    const w = this.tipEl.offsetWidth;
    const hgt = this.tipEl.offsetHeight;
    const left = this.px[i] + 12 + w > this.width ? this.px[i] - 12 - w : this.px[i] + 12;
    const top = Math.min(Math.max(0, this.py[i] - hgt / 2), Math.max(0, this.height - hgt));
    Object.assign(this.tipEl.style, { left: `${Math.max(0, left)}px`, top: `${top}px` });
    this.handlers.hover(row);
  }

  private key(e: KeyboardEvent) {
    const data = this.data;
    if (!data || e.target !== this.root) return;
    const dirs: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key in dirs) {
      this.setCursor(this.step(dirs[e.key]));
    } else if (e.key === 'Enter' && this.cursor >= 0) {
      this.handlers.open(data.rows[this.cursor]);
    } else if (e.key === 'Escape') {
      this.handlers.clear();
    } else return;
    e.preventDefault();
  }

  /** The nearest input from the cursor in direction `d` (from the focused input, or the middle, when there is no cursor). */
  private step([dx, dy]: [number, number]): number {
    const n = this.px.length;
    if (n === 0) return -1;
    let ox: number;
    let oy: number;
    if (this.cursor >= 0) [ox, oy] = [this.px[this.cursor], this.py[this.cursor]];
    else {
      const f = this.focusRow !== null && this.data ? indexOf(this.data.rows, this.focusRow) : -1;
      if (f >= 0) return f;
      // No cursor yet: the input nearest the middle.
      [ox, oy] = [this.width / 2, this.height / 2];
      let best = 0;
      let bestD = Infinity;
      for (let i = 0; i < n; i++) {
        const d = (this.px[i] - ox) ** 2 + (this.py[i] - oy) ** 2;
        if (d < bestD) [best, bestD] = [i, d];
      }
      return best;
    }
    let best = this.cursor;
    let bestCost = Infinity;
    for (let i = 0; i < n; i++) {
      const ax = this.px[i] - ox;
      const ay = this.py[i] - oy;
      const along = ax * dx + ay * dy;
      if (along <= 0.5) continue;
      const cost = along + 2.5 * Math.abs(ax * dy - ay * dx);
      if (cost < bestCost) [best, bestCost] = [i, cost];
    }
    return best;
  }
}

function indexOf(rows: Int32Array, row: number): number {
  // Rows are sorted: a binary search.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] === row) return mid;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
