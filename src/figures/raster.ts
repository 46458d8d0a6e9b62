import { Resvg } from '@resvg/resvg-js';
import { crc32 } from 'node:zlib';
import { FIGURE_FONTS } from './fonts.ts';

// Figures as PNG for print: a standalone SVG drawn by resvg (no browser, no
// canvas) at 300 dpi or more at the figure's own size.

/** CSS pixels per inch: an SVG's width="640" is 640 / 96 inches. */
const CSS_DPI = 96;

/**
 * The fonts named for print, in order: metric-compatible with Arial (what
 * most system-ui stacks resolve to), then common fallbacks. resvg knows no
 * `system-ui`, and its own `sans-serif` default (Arial) is often missing on
 * Linux; the first installed family of this list is used.
 */
export const PRINT_SANS = ['Arimo', 'Liberation Sans', 'Arial', 'Helvetica', 'DejaVu Sans', 'Noto Sans'];

export interface RasterOptions {
  /** The least resolution, at the figure's own size. Default 300. */
  dpi?: number;
  /** The least width in pixels. Default 2400. */
  minWidth?: number;
  /** Extra font files (.ttf/.otf) to load besides the system's. */
  fontFiles?: string[];
}

export interface Raster {
  png: Buffer;
  width: number;
  height: number;
  /** The resolution written in the PNG (pHYs), at the SVG's own size. */
  dpi: number;
}

/**
 * Rewrites what resvg would not draw as a browser does: the font stack names
 * real families before the generic one, and `pixelated` images (the digit
 * samples) are scaled nearest-neighbour (resvg's `optimizeSpeed`).
 */
export function printableSvg(svg: string): string {
  return svg
    .replace(/font-family="([^"]*)"/g, (_, stack: string) => `font-family="${printStack(stack)}"`)
    .replace(/image-rendering="pixelated"/g, 'image-rendering="optimizeSpeed"')
    .replace(/image-rendering:\s*pixelated/g, 'image-rendering: optimizeSpeed');
}

function printStack(stack: string): string {
  const families = stack
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f && !['system-ui', '-apple-system', 'BlinkMacSystemFont', 'ui-sans-serif'].includes(f));
  // A stack of named families with no generic sans (a monospace one) stays as it is.
  if (families.length > 0 && !families.includes('sans-serif')) return families.join(', ');
  const named = PRINT_SANS.filter((f) => !families.includes(f)).map((f) => (f.includes(' ') ? `'${f}'` : f));
  const generic = families.indexOf('sans-serif');
  const before = generic < 0 ? families : families.slice(0, generic);
  return [...before, ...named, 'sans-serif'].join(', ');
}

/** The width of an SVG in CSS pixels, from its root's width or viewBox. */
export function svgWidth(svg: string): number | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) return undefined;
  const width = /\swidth="([\d.]+)(px)?"/.exec(root);
  if (width) return Number(width[1]);
  const viewBox = /\sviewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)/.exec(root);
  return viewBox ? Number(viewBox[1]) : undefined;
}

/**
 * Draws an SVG to PNG at print resolution: scaled by at least dpi / 96 and to
 * at least `minWidth` pixels, on white, with the resolution recorded so that
 * a word processor places it at the SVG's own size.
 */
export function rasterise(svg: string, options: RasterOptions = {}): Raster {
  const { dpi = 300, minWidth = 2400, fontFiles = [FIGURE_FONTS.regular, FIGURE_FONTS.bold] } = options;
  const input = printableSvg(svg);
  const cssWidth = svgWidth(input) ?? new Resvg(input).width;
  const width = Math.max(minWidth, Math.ceil((cssWidth * dpi) / CSS_DPI));
  const resvg = new Resvg(input, {
    fitTo: { mode: 'width', value: width },
    background: 'white',
    font: { loadSystemFonts: true, fontFiles, sansSerifFamily: PRINT_SANS[0] },
    logLevel: 'off',
  });
  const image = resvg.render();
  const effectiveDpi = (image.width / cssWidth) * CSS_DPI;
  return { png: withDpi(image.asPng(), effectiveDpi), width: image.width, height: image.height, dpi: effectiveDpi };
}

/** Inserts a pHYs chunk (pixels per metre) right after the PNG's IHDR. */
export function withDpi(png: Buffer, dpi: number): Buffer {
  const afterIhdr = 8 + 4 + 4 + 13 + 4;
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: no IHDR first');
  const ppm = Math.round(dpi / 0.0254);
  const chunk = Buffer.alloc(4 + 4 + 9 + 4);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  chunk.writeUInt32BE(ppm, 8);
  chunk.writeUInt32BE(ppm, 12);
  chunk[16] = 1; // unit: metre
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}
