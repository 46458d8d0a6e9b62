import type { APIRoute } from 'astro';
import type { Result } from '../../../../results/schema.ts';
import { digest, inputsKey } from '../../../../site/cache-key.ts';
import { inputsAvailable, publishedInputs } from '../../../../site/inputs.ts';
import { loadResults } from '../../../../site/results.ts';

// The per-input artifact as the pipeline stored it (checked against its
// schema and its result): index.json, then seed-<n>.json per seed.

export function getStaticPaths() {
  return loadResults().flatMap((result) => {
    if (!inputsAvailable(result).ok) return [];
    const key = (file: string) => digest('inputs.json', inputsKey(result), file);
    return ['index', ...result.seeds.map((s) => `seed-${s}`)].map((file) => ({
      params: { id: result.id, file },
      props: { result, file },
      cacheKey: key(file),
    }));
  });
}

export const GET: APIRoute = ({ props }) => {
  const { result, file } = props as { result: Result; file: string };
  const { index, seeds } = publishedInputs(result);
  const body = file === 'index' ? index : seeds.find((s) => `seed-${s.seed}` === file);
  return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
};
