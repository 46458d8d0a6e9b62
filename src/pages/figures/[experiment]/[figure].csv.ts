import type { APIRoute } from 'astro';
import { toCsv } from '../../../figures/render.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths;

export const GET: APIRoute = ({ props }) => {
  const { result, def } = props as FigureProps;
  return new Response(toCsv(def, result), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};
