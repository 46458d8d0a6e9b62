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
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
  return `data:image/png;base64,${png.toString('base64')}`;
}
