import type { APIRoute } from 'astro';
import { citationText } from '../../../site/cite.ts';
import { figureCitation } from '../../../site/citations.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths;

/** How to cite the figure: a line of plain text, then its BibTeX entry. */
export const GET: APIRoute = ({ props, site }) => {
  const { result, def } = props as FigureProps;
  const body = citationText(figureCitation(result, def, site, import.meta.env.BASE_URL));
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
