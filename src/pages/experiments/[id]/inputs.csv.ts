import type { APIRoute } from 'astro';
import type { Result } from '../../../results/schema.ts';
import { digest, inputsKey } from '../../../site/cache-key.ts';
import { inputsAvailable, inputsCsv, publishedInputs } from '../../../site/inputs.ts';
import { loadResults } from '../../../site/results.ts';

export function getStaticPaths() {
  return loadResults().flatMap((result) =>
    inputsAvailable(result).ok ? [{ params: { id: result.id }, props: { result }, cacheKey: digest('inputs.csv', inputsKey(result)) }] : [],
  );
}

/** Every stored input, every seed: one row per input and seed (see src/site/inputs.ts for the columns). */
export const GET: APIRoute = ({ props }) => {
  const { index, seeds } = publishedInputs((props as { result: Result }).result);
  return new Response(inputsCsv(index, seeds), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};
