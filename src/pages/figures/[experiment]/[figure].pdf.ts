import type { APIRoute } from 'astro';
import { cachedPdf } from '../../../figures/asset-cache.ts';
import { renderSvg } from '../../../figures/render.ts';
import { standaloneSvg } from '../../../figures/standalone.ts';
import { buildDate } from '../../../site/build-info.ts';
import { langOfPath, localized } from '../../../i18n/index.ts';
import { figurePaths, type FigureProps } from '../../../site/figure-paths.ts';

export const getStaticPaths = figurePaths('pdf');

/** The figure as a vector PDF for LaTeX (\includegraphics), its key inside, its text in an embedded font. */
export const GET: APIRoute = async ({ props, url }) => {
  const { result, def } = props as FigureProps;
  // The same route serves /fr/figures/…: its language is its address's.
  const lang = langOfPath(url.pathname, import.meta.env.BASE_URL);
  const pdf = await cachedPdf(standaloneSvg(renderSvg(def, result, lang)), {
    title: `${def.title[lang]} (${result.id}/${def.name})`,
    subject: localized(result.spec.title, lang),
    date: buildDate(),
  });
  return new Response(new Uint8Array(pdf), { headers: { 'Content-Type': 'application/pdf' } });
};
