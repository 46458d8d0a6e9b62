import type { APIRoute } from 'astro';
import { citationText } from '../../../site/cite.ts';
import { figureCitation } from '../../../site/citations.ts';
import { langOfPath } from '../../../i18n/index.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths('citation');

/** How to cite the figure: a line of plain text, then its BibTeX entry. */
export const GET: APIRoute = ({ props, site, url }) => {
  const { result, def } = props as FigureProps;
  // The same route serves /fr/figures/…: its language is its address's.
  const lang = langOfPath(url.pathname, import.meta.env.BASE_URL);
  const body = citationText(figureCitation(result, def, site, import.meta.env.BASE_URL, lang));
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
