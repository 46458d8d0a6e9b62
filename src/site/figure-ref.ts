import { figureByName, figuresFor } from '../figures/index.ts';
import type { FigureDef } from '../figures/types.ts';
import type { Result } from '../results/schema.ts';
import { checkBuilt } from './not-built.ts';
import { resultById } from './results.ts';

export interface ResolvedFigure {
  result: Result;
  def: FigureDef;
  /** The stable, citable id `<experiment>/<figure>`. */
  id: string;
  /** Its number on the experiment's own page. */
  number: number;
}

/**
 * Finds the figure a write-up names as `<experiment>/<figure>`; a missing one
 * fails the build with the page and the id, never a blank space.
 */
export function resolveFigure(ref: string, page: string): ResolvedFigure {
  const [experiment, name, ...rest] = ref.split('/');
  const fail = (why: string, hint: string) => {
    throw new Error(`[FigureNotFound] ${page}: figure "${ref}" ${why}.\n  Hint: ${hint}`);
  };
  if (!experiment || !name || rest.length) fail('is not of the form <experiment>/<figure>', 'write e.g. mnist-1-vs-7/purity');
  checkBuilt(experiment!);
  const result = resultById(experiment);
  if (!result) return fail(`names experiment "${experiment}", which has no result`, 'check experiments/ for the file, then run `npm run experiments`');
  const def = figureByName(name);
  const figures = figuresFor(result);
  if (!def || !figures.includes(def))
    return fail(`names figure "${name}", which experiment "${experiment}" does not have`, `its figures are: ${figures.map((f) => f.name).join(', ')}`);
  return { result, def, id: `${experiment}/${name}`, number: figures.indexOf(def) + 1 };
}
