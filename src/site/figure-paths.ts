import { figuresFor } from '../figures/index.ts';
import type { FigureDef } from '../figures/types.ts';
import type { Lang } from '../i18n/index.ts';
import type { Result } from '../results/schema.ts';
import { figureAssetKey, figurePdfKey, pageKey, resultKey, routeLang } from './cache-key.ts';
import { loadResults } from './results.ts';

/** What a figure's file is: its format decides what its cache key holds (see cache-key.ts). */
export type FigureFile = 'svg' | 'png' | 'csv' | 'pdf' | 'citation';

function key(file: FigureFile, result: Result, def: FigureDef, lang: Lang): string {
  if (file === 'pdf') return figurePdfKey(result, def.name, lang);
  if (file === 'citation') return pageKey(lang, 'figure-citation', resultKey(result), def.name);
  return figureAssetKey(result, def.name, file, lang);
}

/**
 * One static path per figure of every experiment, for the download endpoints
 * of one kind of file; the French routes share the English ones' and get
 * their language from their pattern.
 */
export function figurePaths(file: FigureFile) {
  return ({ routePattern }: { routePattern: string }) => {
    const lang = routeLang(routePattern);
    return loadResults().flatMap((result) =>
      figuresFor(result).map((def) => ({
        params: { experiment: result.id, figure: def.name },
        props: { result, def },
        cacheKey: key(file, result, def, lang),
      })),
    );
  };
}

export type FigureProps = { result: Result; def: FigureDef };
