import type { APIRoute } from 'astro';
import type { Result } from '../../../../results/schema.ts';
import { bibtex } from '../../../../site/cite.ts';
import { experimentCitation } from '../../../../site/citations.ts';
import { pageKey, resultKey } from '../../../../site/cache-key.ts';
import { loadResults } from '../../../../site/results.ts';

export const getStaticPaths = () =>
  loadResults().map((result) => ({ params: { id: result.id }, props: { result }, cacheKey: pageKey('fr', 'experiment-citation', resultKey(result)) }));

/** How to cite the experiment's page. */
export const GET: APIRoute = ({ props, site }) => {
  const body = bibtex(experimentCitation((props as { result: Result }).result, site, import.meta.env.BASE_URL, 'fr'));
  return new Response(body, { headers: { 'Content-Type': 'application/x-bibtex; charset=utf-8' } });
};
