import type { APIRoute } from 'astro';
import { renderSvg } from '../../../figures/render.ts';
import { standaloneSvg } from '../../../figures/standalone.ts';
import { langOfPath } from '../../../i18n/index.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths('svg');

export const GET: APIRoute = ({ props, url }) => {
  const { result, def } = props as FigureProps;
  // The same route serves /fr/figures/…: its language is its address's.
  const lang = langOfPath(url.pathname, import.meta.env.BASE_URL);
  return new Response(standaloneSvg(renderSvg(def, result, lang)), { headers: { 'Content-Type': 'image/svg+xml' } });
};
