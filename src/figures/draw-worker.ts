import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort } from 'node:worker_threads';
import type { PdfOptions } from './pdf.ts';

// One thread of draw-pool.ts: draws a standalone SVG as PNG (resvg) or PDF
// (PDFKit) with the same modules the site's build would call in-thread, and
// answers with the file's bytes or the error's message.
//
// One figure at a time, with a turn of the event loop after each: resvg's
// images are freed by finalisers that run only then, and a port hands every
// queued message over in one go, so a thread kept busy held every image it
// drew (6 GB over a site's build; 450 MB with the turn).

export interface DrawRequest {
  id: number;
  kind: 'png' | 'pdf';
  svg: string;
  options?: PdfOptions;
}

export type DrawReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

const queue: DrawRequest[] = [];
let busy = false;

async function draw({ id, kind, svg, options }: DrawRequest): Promise<DrawReply> {
  try {
    const bytes = kind === 'png' ? (await import('./raster.ts')).rasterise(svg).png : await (await import('./pdf.ts')).svgToPdf(svg, options);
    return { id, bytes: new Uint8Array(bytes) };
  } catch (e) {
    return { id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

async function drain(): Promise<void> {
  busy = true;
  for (let job = queue.shift(); job; job = queue.shift()) {
    parentPort!.postMessage(await draw(job));
    await nextTurn();
  }
  busy = false;
}

parentPort?.on('message', (request: DrawRequest) => {
  queue.push(request);
  if (!busy) void drain();
});
