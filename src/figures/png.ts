import { crc32, deflateSync } from 'node:zlib';

// A grey-level PNG encoder, so that digit images are real <image> elements
// in the SVG (Plot's raster mark needs a canvas, which a server lacks).

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** 8-bit grey `pixels` (row-major, 0 = black) as a PNG data URI; digits are drawn dark on light when `invert`. */
export function greyPngDataUri(pixels: Uint8Array, width: number, height: number, invert = true): string {
  return `data:image/png;base64,${greyPng(pixels, width, height, invert).toString('base64')}`;
}

/** 8-bit grey `pixels` (row-major, 0 = black) as a PNG file; dark on light when `invert`. */
export function greyPng(pixels: Uint8Array, width: number, height: number, invert = true): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      raw[y * (width + 1) + 1 + x] = invert ? 255 - v : v;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

function png(width: number, height: number, header: { depth: number; type: number }, raw: Buffer, extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = header.depth;
  ihdr[9] = header.type;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** An RGB image (row-major, 3 bytes a pixel) as a PNG data URI: a heat map drawn as one image instead of a rectangle per cell. */
export function rgbPngDataUri(rgb: Uint8Array, width: number, height: number): string {
  const raw = Buffer.alloc((3 * width + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgb.subarray(3 * y * width, 3 * (y + 1) * width)).copy(raw, y * (3 * width + 1) + 1);
  return `data:image/png;base64,${png(width, height, { depth: 8, type: 2 }, raw).toString('base64')}`;
}

/**
 * Many grey images on one transparent sheet, as one PNG data URI: each at
 * (x, y) in sheet pixels, dark on light, in 15 grey levels (4-bit palette,
 * the 16th entry transparent), which a digit needs and deflate packs tightly.
 */
export function greySheetDataUri(width: number, height: number, images: { x: number; y: number; width: number; height: number; pixels: Uint8Array }[]): string {
  const TRANSPARENT = 15;
  const index = new Uint8Array(width * height).fill(TRANSPARENT);
  for (const im of images)
    for (let y = 0; y < im.height; y++)
      for (let x = 0; x < im.width; x++) {
        const X = im.x + x;
        const Y = im.y + y;
        if (X < 0 || Y < 0 || X >= width || Y >= height) continue;
        index[Y * width + X] = Math.round(((255 - im.pixels[y * im.width + x]) / 255) * 14);
      }
  const stride = Math.ceil(width / 2) + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x += 2) raw[y * stride + 1 + x / 2] = (index[y * width + x] << 4) | (x + 1 < width ? index[y * width + x + 1] : TRANSPARENT);
  const palette = Buffer.alloc(16 * 3);
  for (let i = 0; i < 15; i++) palette.fill(Math.round((i / 14) * 255), 3 * i, 3 * i + 3);
  const alpha = Buffer.alloc(16, 255);
  alpha[TRANSPARENT] = 0;
  return `data:image/png;base64,${png(width, height, { depth: 4, type: 3 }, raw, [chunk('PLTE', palette), chunk('tRNS', alpha)]).toString('base64')}`;
}
