import type { APIRoute } from 'astro';
import { inputsOf } from '../../../../site/inputs.ts';
import { loadResults } from '../../../../site/results.ts';

// The per-input artifact as the pipeline stored it (checked against its
// schema and its result): index.json, then seed-<n>.json per seed.

export function getStaticPaths() {
  return loadResults().flatMap((result) => {
    const read = inputsOf(result);
    if (!read.ok) return [];
    return [
      { params: { id: result.id, file: 'index' }, props: { body: read.index } },
      ...read.seeds.map((s) => ({ params: { id: result.id, file: `seed-${s.seed}` }, props: { body: s } })),
    ];
  });
}

export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify((props as { body: unknown }).body), { headers: { 'Content-Type': 'application/json' } });
