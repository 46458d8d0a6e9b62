import type { Result } from '../results/schema.ts';
import type { FigureKey } from './key.ts';

export type PlotOptions = Record<string, unknown> & { marks: unknown[] };
export type Row = Record<string, string | number | boolean | null>;

/**
 * A figure is a pure function of a result: its Plot options and its data as
 * rows (published as CSV). Rendering to SVG happens elsewhere.
 */
export interface FigureDef {
  name: string;
  title: string;
  caption: (r: Result) => string;
  /** Whether the result has what the figure needs. */
  applies?: (r: Result) => boolean;
  rows: (r: Result) => Row[];
  plot: (r: Result, rows: Row[]) => PlotOptions;
  /** The key drawn inside the figure, above the plot (classes, series or a colour ramp). */
  key?: (r: Result) => FigureKey;
  /** The explorer's view of what the figure shows, as its URL fragment (see src/explore/state.ts), when it has one. */
  explore?: (r: Result) => string;
}
