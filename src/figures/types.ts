import type { Result } from '../results/schema.ts';
import type { Lang, Text } from '../i18n/index.ts';
import type { FigureKey } from './key.ts';

export type PlotOptions = Record<string, unknown> & { marks: unknown[] };
export type Row = Record<string, string | number | boolean | null>;

/**
 * A figure is a pure function of a result: its Plot options and its data as
 * rows (published as CSV). Rendering to SVG happens elsewhere.
 */
export interface FigureDef {
  name: string;
  /** Its title in each language. */
  title: Text;
  /** Every text below is written in the language asked for; the numbers are the same in each. */
  caption: (r: Result, lang: Lang) => string;
  /** Whether the result has what the figure needs. */
  applies?: (r: Result) => boolean;
  rows: (r: Result, lang: Lang) => Row[];
  plot: (r: Result, rows: Row[], lang: Lang) => PlotOptions;
  /** The key drawn inside the figure, above the plot (classes, series or a colour ramp). */
  key?: (r: Result, lang: Lang) => FigureKey;
  /** The explorer's view of what the figure shows, as its URL fragment (see src/explore/state.ts), when it has one. */
  explore?: (r: Result) => string;
}
