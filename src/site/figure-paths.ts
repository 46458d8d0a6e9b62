import { figuresFor } from '../figures/index.ts';
import type { FigureDef } from '../figures/types.ts';
import type { Result } from '../results/schema.ts';
import { loadResults } from './results.ts';

/** One static path per figure of every experiment, for the download endpoints. */
export function figurePaths() {
  return loadResults().flatMap((result) => figuresFor(result).map((def) => ({ params: { experiment: result.id, figure: def.name }, props: { result, def } })));
}

export type FigureProps = { result: Result; def: FigureDef };
