import type { APIRoute } from 'astro';
import katex from 'katex';
import { digest } from '../../../site/cache-key.ts';
import { katexAsset, katexAssets } from '../../../site/katex.ts';

/** KaTeX's stylesheet and fonts, from the katex package (pinned by the lockfile, which Astro's cache checks), for <Math>. */
export function getStaticPaths() {
  return katexAssets().map((asset) => ({ params: { version: katex.version, asset }, cacheKey: digest('katex', katex.version, asset) }));
}

export const GET: APIRoute = ({ params }) => {
  const { body, type } = katexAsset(params.asset ?? '');
  return new Response(body, { headers: { 'Content-Type': type } });
};
