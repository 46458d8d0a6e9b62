import type { APIRoute } from 'astro';
import { cachedPng } from '../../../figures/asset-cache.ts';
import { renderSvg } from '../../../figures/render.ts';
import { standaloneSvg } from '../../../figures/standalone.ts';
import { langOfPath } from '../../../i18n/index.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths('png');

/** The figure as PNG for print: the standalone SVG drawn at 300 dpi or more (at least 2400 px wide), kept by the SVG's content. */
export const GET: APIRoute = async ({ props, url }) => {
  const { result, def } = props as FigureProps;
  // The same route serves /fr/figures/…: its language is its address's.
  const lang = langOfPath(url.pathname, import.meta.env.BASE_URL);
  const png = await cachedPng(standaloneSvg(renderSvg(def, result, lang)));
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
