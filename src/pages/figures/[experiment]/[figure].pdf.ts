import type { APIRoute } from 'astro';
import { svgToPdf } from '../../../figures/pdf.ts';
import { renderSvg } from '../../../figures/render.ts';
import { standaloneSvg } from '../../../figures/standalone.ts';
import { buildDate } from '../../../site/build-info.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths;

/** The figure as a vector PDF for LaTeX (\includegraphics), its key inside, its text in an embedded font. */
export const GET: APIRoute = async ({ props }) => {
  const { result, def } = props as FigureProps;
  const pdf = await svgToPdf(standaloneSvg(renderSvg(def, result)), { title: `${def.title} (${result.id}/${def.name})`, subject: result.spec.title, date: buildDate() });
  return new Response(new Uint8Array(pdf), { headers: { 'Content-Type': 'application/pdf' } });
};
