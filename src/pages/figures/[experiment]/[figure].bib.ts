import type { APIRoute } from 'astro';
import { bibtex } from '../../../site/cite.ts';
import { figureCitation } from '../../../site/citations.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths;

/** The figure's BibTeX entry. */
export const GET: APIRoute = ({ props, site }) => {
  const { result, def } = props as FigureProps;
  const body = bibtex(figureCitation(result, def, site, import.meta.env.BASE_URL));
  return new Response(body, { headers: { 'Content-Type': 'application/x-bibtex; charset=utf-8' } });
};
