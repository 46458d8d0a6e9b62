import { parentPort } from 'node:worker_threads';
import type { PdfOptions } from './pdf.ts';

// One thread of draw-pool.ts: draws a standalone SVG as PNG (resvg) or PDF
// (PDFKit) with the same modules the site's build would call in-thread, and
// answers with the file's bytes or the error's message.

export interface DrawRequest {
  id: number;
  kind: 'png' | 'pdf';
  svg: string;
  options?: PdfOptions;
}

export type DrawReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

parentPort?.on('message', async ({ id, kind, svg, options }: DrawRequest) => {
  try {
    const bytes = kind === 'png' ? (await import('./raster.ts')).rasterise(svg).png : await (await import('./pdf.ts')).svgToPdf(svg, options);
    parentPort!.postMessage({ id, bytes: new Uint8Array(bytes) } satisfies DrawReply);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies DrawReply);
  }
});
