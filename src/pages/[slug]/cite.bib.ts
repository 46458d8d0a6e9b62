import type { APIRoute } from 'astro';
import { bibtex } from '../../site/cite.ts';
import { writeupCitation } from '../../site/citations.ts';
import { writeupPaths } from '../../site/writeups.ts';

export const getStaticPaths = () => writeupPaths('en', 'citation');

/** How to cite the write-up as a whole. */
export const GET: APIRoute = ({ params, props, site }) => {
  const body = bibtex(writeupCitation(params.slug!, (props as { title: string }).title, site, import.meta.env.BASE_URL, 'en'));
  return new Response(body, { headers: { 'Content-Type': 'application/x-bibtex; charset=utf-8' } });
};
