import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { greyPngDataUri } from '../src/figures/png.ts';
import { printableSvg, rasterise, svgWidth } from '../src/figures/raster.ts';
import { standaloneSvg } from '../src/figures/standalone.ts';

// A figure-like SVG as Plot writes one: a font stack resvg does not know, a
// line, a label, and a "digit" as an embedded, pixelated PNG: a 28 × 28
// checkerboard of ink (black once inverted) and paper.
const digit = greyPngDataUri(
  Uint8Array.from({ length: 28 * 28 }, (_, i) => (((i % 28) + Math.floor(i / 28)) % 2 ? 0 : 255)),
  28,
  28,
);
const SVG = standaloneSvg(
  `<svg width="640" height="280" viewBox="0 0 640 280" font-family="system-ui, sans-serif" font-size="10" fill="currentColor">` +
    `<line x1="20" y1="260" x2="300" y2="20" stroke="currentColor" stroke-width="2"/>` +
    `<text x="40" y="40">Purity per layer</text>` +
    `<image x="400" y="40" width="200" height="200" image-rendering="pixelated" href="${digit}"/>` +
    `</svg>`,
);

/** Reads an 8-bit RGBA or RGB PNG back to pixels (the five PNG filters undone). */
function decodePng(png: Buffer): { width: number; height: number; channels: number; pixels: Uint8Array; chunks: string[] } {
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let channels = 4;
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    chunks.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      channels = { 2: 3, 6: 4, 0: 1, 4: 2 }[data[9]] ?? 0;
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
      pixels[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels, chunks };
}

describe('rasterise', () => {
  const raster = rasterise(SVG);
  const png = decodePng(raster.png);
  const at = (x: number, y: number) => Array.from(png.pixels.subarray((y * png.width + x) * png.channels, (y * png.width + x) * png.channels + 3));

  it('writes a PNG at print resolution, the SVG’s proportions kept', () => {
    expect([...raster.png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.width).toBe(raster.width);
    expect(png.width).toBeGreaterThanOrEqual(2400);
    expect(png.height).toBe(Math.round((png.width * 280) / 640));
    expect(raster.dpi).toBeGreaterThanOrEqual(300);
    expect(png.chunks.filter((c) => c === 'pHYs')).toHaveLength(1);
    const phys = raster.png.indexOf('pHYs');
    expect(raster.png.readUInt32BE(phys + 4)).toBe(Math.round(raster.dpi / 0.0254));
  });

  it('draws on white, with ink where the marks are', () => {
    const scale = png.width / 640;
    expect(at(5, 5)).toEqual([255, 255, 255]);
    let ink = 0;
    for (let i = 0; i < png.pixels.length; i += png.channels) if (png.pixels[i] < 128) ink++;
    expect(ink).toBeGreaterThan(1000);
    // The middle of the line from (20, 260) to (300, 20): ink, not currentColor dropped.
    expect(at(Math.round(160 * scale), Math.round(140 * scale))[0]).toBeLessThan(100);
    // The embedded PNG is drawn, its top-left cell ink, and scaled nearest-neighbour:
    // inside it only pure black and pure white, no blur between cells.
    expect(at(Math.round(401 * scale), Math.round(41 * scale))).toEqual([0, 0, 0]);
    const seen = new Set<number>();
    for (let y = Math.round(45 * scale); y < 235 * scale; y += 3) for (let x = Math.round(405 * scale); x < 595 * scale; x += 3) seen.add(at(x, y)[0]);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 255]);
  });

  it('honours a larger resolution or width when asked', () => {
    expect(rasterise(SVG, { dpi: 600 }).width).toBe(4000);
    expect(rasterise(SVG, { dpi: 72, minWidth: 1000 }).width).toBe(1000);
  });
});

describe('printableSvg', () => {
  it('names real font families before the generic one and keeps images pixelated', () => {
    const out = printableSvg(SVG);
    expect(out).toMatch(/font-family="Arimo, 'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', 'Noto Sans', sans-serif"/);
    expect(out).not.toContain('system-ui');
    expect(out).toContain('image-rendering="optimizeSpeed"');
    expect(printableSvg('<svg font-family="monospace, Courier">')).toBe('<svg font-family="monospace, Courier">');
  });

  it('reads the width of an SVG from its root', () => {
    expect(svgWidth(SVG)).toBe(640);
    expect(svgWidth('<svg viewBox="0 0 320 100">')).toBe(320);
    expect(svgWidth('<p>')).toBeUndefined();
  });
});
