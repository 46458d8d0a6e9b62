import { cached } from '../util/cache-store.ts';
import { drawOnThread } from './draw-pool.ts';
import fontsSource from './fonts.ts?raw';
import pdfSource from './pdf.ts?raw';
import type { PdfOptions } from './pdf.ts';
import rasterSource from './raster.ts?raw';
import { systemFontsDigest } from './system-fonts.ts';

// Drawing a figure's SVG as PNG (resvg) or PDF (PDFKit) is the costly part of
// a site build: both are kept in the store of cache-store.ts, keyed by all
// they are made from: the standalone SVG's bytes, the options, the source of
// the modules that convert it (imported as text, so bundled with the code
// that runs), the lockfile (resvg, PDFKit, the fonts' package), and for PNGs
// the system's font files, on which resvg may fall back for a glyph. The
// converters (resvg, PDFKit and its fonts) are loaded only when a file is
// drawn: a build that reads every file from the store never loads them.

/** The figure as PNG for print (see raster.ts), from the store when this SVG was drawn before. */
export function cachedPng(svg: string): Promise<Buffer> {
  return cached(
    'png',
    [svg, rasterSource, fontsSource, systemFontsDigest()],
    async () => drawOnThread('png', svg) ?? (await import('./raster.ts')).rasterise(svg).png,
  );
}

/** The figure as a vector PDF (see pdf.ts), from the store when this SVG was drawn before with the same metadata. */
export function cachedPdf(svg: string, options: PdfOptions): Promise<Buffer> {
  return cached(
    'pdf',
    [svg, JSON.stringify([options.title ?? null, options.subject ?? null, options.date ?? null]), pdfSource, rasterSource, fontsSource],
    async () => drawOnThread('pdf', svg, options) ?? (await import('./pdf.ts')).svgToPdf(svg, options),
  );
}
