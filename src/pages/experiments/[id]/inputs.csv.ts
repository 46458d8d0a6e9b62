import type { APIRoute } from 'astro';
import { inputsCsv, inputsOf } from '../../../site/inputs.ts';
import { loadResults } from '../../../site/results.ts';
import type { InputsIndex, SeedInputs } from '../../../results/inputs.ts';

export function getStaticPaths() {
  return loadResults().flatMap((result) => {
    const read = inputsOf(result);
    return read.ok ? [{ params: { id: result.id }, props: { index: read.index, seeds: read.seeds } }] : [];
  });
}

/** Every stored input, every seed: one row per input and seed (see src/site/inputs.ts for the columns). */
export const GET: APIRoute = ({ props }) => {
  const { index, seeds } = props as { index: InputsIndex; seeds: SeedInputs[] };
  return new Response(inputsCsv(index, seeds), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};
