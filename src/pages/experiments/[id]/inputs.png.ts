import type { APIRoute } from 'astro';
import { inputsOf, spriteSheet } from '../../../site/inputs.ts';
import { loadResults } from '../../../site/results.ts';

export function getStaticPaths() {
  return loadResults().flatMap((result) => {
    const read = inputsOf(result);
    const png = read.ok ? spriteSheet(result, read.index) : null;
    return png ? [{ params: { id: result.id }, props: { png } }] : [];
  });
}

/** Every input's image, one sprite sheet (src/site/inputs.ts says where each lies). */
export const GET: APIRoute = ({ props }) => new Response(new Uint8Array((props as { png: Buffer }).png), { headers: { 'Content-Type': 'image/png' } });
