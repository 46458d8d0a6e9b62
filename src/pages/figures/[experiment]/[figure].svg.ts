import type { APIRoute } from 'astro';
import { renderSvg } from '../../../figures/render.ts';
import { standaloneSvg } from '../../../figures/standalone.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths;

export const GET: APIRoute = ({ props }) => {
  const { result, def } = props as FigureProps;
  return new Response(standaloneSvg(renderSvg(def, result)), { headers: { 'Content-Type': 'image/svg+xml' } });
};
