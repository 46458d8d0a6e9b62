import { figuresFor } from '../figures/index.ts';
import type { FigureDef } from '../figures/types.ts';
import type { Result } from '../results/schema.ts';
import { buildCommit, buildDate, citableSite } from './build-info.ts';
import type { FigureCitation } from './cite.ts';

/** A figure's citation as this build gives it: site, base, date and commit filled in. */
export function figureCitation(result: Result, def: FigureDef, site: URL | undefined, base: string): FigureCitation {
  return {
    id: `${result.id}/${def.name}`,
    title: def.title,
    number: figuresFor(result).indexOf(def) + 1,
    experimentId: result.id,
    experimentTitle: result.spec.title,
    site: citableSite(site),
    base,
    date: buildDate(),
    commit: buildCommit(),
  };
}
