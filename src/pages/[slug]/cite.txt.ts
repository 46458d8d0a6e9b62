import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { citationText } from '../../site/cite.ts';
import { writeupCitation } from '../../site/citations.ts';

export async function getStaticPaths() {
  return (await getCollection('writeups')).map((page) => ({ params: { slug: page.id }, props: { title: page.data.title } }));
}

/** How to cite the write-up as a whole. */
export const GET: APIRoute = ({ params, props, site }) => {
  const body = citationText(writeupCitation(params.slug!, (props as { title: string }).title, site, import.meta.env.BASE_URL));
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
