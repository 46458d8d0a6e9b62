import type { Dataset } from './types.ts';

/** Row `i` of the inputs in train, test, probe order, as 8-bit grey levels in base64. */
export function encodeInput(data: Dataset, i: number): string {
  let split = data.train;
  let row = i;
  if (row >= split.count) {
    row -= split.count;
    split = data.test;
    if (row >= split.count) {
      row -= split.count;
      split = data.probe;
    }
  }
  const px = split.x.subarray(row * data.features, (row + 1) * data.features);
  return Buffer.from(Uint8Array.from(px, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))).toString('base64');
}

export function decodePixels(b64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(b64, 'base64'));
}
