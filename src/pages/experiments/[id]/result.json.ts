import type { APIRoute } from 'astro';
import { digest, resultKey } from '../../../site/cache-key.ts';
import { loadResults } from '../../../site/results.ts';
import type { Result } from '../../../results/schema.ts';

export function getStaticPaths() {
  return loadResults().map((result) => ({ params: { id: result.id }, props: { result }, cacheKey: digest('result.json', resultKey(result)) }));
}

/** The experiment's whole result, as stored: every number on the page can be recomputed from it. */
export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify((props as { result: Result }).result, null, 2), { headers: { 'Content-Type': 'application/json' } });
