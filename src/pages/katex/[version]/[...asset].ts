import type { APIRoute } from 'astro';
import katex from 'katex';
import { katexAsset, katexAssets } from '../../../site/katex.ts';

/** KaTeX's stylesheet and fonts, from the katex package, for <Math>. */
export function getStaticPaths() {
  return katexAssets().map((asset) => ({ params: { version: katex.version, asset } }));
}

export const GET: APIRoute = ({ params }) => {
  const { body, type } = katexAsset(params.asset ?? '');
  return new Response(body, { headers: { 'Content-Type': type } });
};
