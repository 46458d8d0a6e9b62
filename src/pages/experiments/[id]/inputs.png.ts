import type { APIRoute } from 'astro';
import type { Result } from '../../../results/schema.ts';
import { digest, inputsKey } from '../../../site/cache-key.ts';
import { inputsAvailable, publishedInputs, spriteSheet } from '../../../site/inputs.ts';
import { loadResults } from '../../../site/results.ts';

export function getStaticPaths() {
  return loadResults().flatMap((result) =>
    inputsAvailable(result).pixels ? [{ params: { id: result.id }, props: { result }, cacheKey: digest('inputs.png', inputsKey(result)) }] : [],
  );
}

/** Every input's image, one sprite sheet (src/site/inputs.ts says where each lies). */
export const GET: APIRoute = ({ props }) => {
  const { result } = props as { result: Result };
  const png = spriteSheet(result, publishedInputs(result).index);
  if (!png) throw new Error(`[InputsSprite] ${result.id}: its inputs' pixels could not be read`);
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
