import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DrawReply, DrawRequest } from './draw-worker.ts';
import type { PdfOptions } from './pdf.ts';

// Drawing figures as PNG and PDF, the costly part of building a new result's
// pages, on worker threads: while one draws, the build's own thread renders
// the next page (astro.config.mjs renders several at once), and on a machine
// of N cores N figures are drawn at once. Inside the build the code is
// Vite's bundle, so the worker runs the source module itself, from the
// project's folder (CHEMINS_ROOT, which astro.config.mjs sets); where that is
// not found, the caller draws in its own thread.

const workers: Worker[] = [];
const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void; worker: Worker }>();
const load = new Map<Worker, number>();
let next = 0;
let unavailable = false;
/**
 * As many threads as cores, at most three: the build's own thread waits on
 * them much of the time. On 2 cores, a cold build of the site took 124 s
 * drawing in-thread, 94 s with one thread, 82 s with two (peak memory 2 GB
 * throughout; see draw-worker.ts for what once made it 6).
 */
const THREADS = Math.max(1, Math.min(3, availableParallelism()));

function workerFile(): string | null {
  const root = process.env.CHEMINS_ROOT;
  const file = root ? join(root, 'src/figures/draw-worker.ts') : null;
  return file && existsSync(file) ? file : null;
}

function start(file: string): Worker {
  const w = new Worker(file);
  w.on('message', (m: DrawReply) => {
    const job = waiting.get(m.id);
    if (!job) return;
    waiting.delete(m.id);
    settle(w);
    if ('error' in m) job.reject(new Error(`drawing a figure on a worker thread: ${m.error}`));
    else job.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
  });
  w.on('error', (e) => {
    // A thread that dies fails what it held; the next draws go to the others, or a fresh one.
    workers.splice(workers.indexOf(w), 1);
    load.delete(w);
    for (const [id, job] of waiting) if (job.worker === w) waiting.delete(id), job.reject(e);
  });
  w.unref();
  load.set(w, 0);
  workers.push(w);
  return w;
}

/** A thread with nothing to do no longer keeps the build's process alive. */
function settle(w: Worker): void {
  const n = (load.get(w) ?? 1) - 1;
  load.set(w, n);
  if (n === 0) w.unref();
}

/** The least busy thread, starting one while there are fewer than cores; null when threads cannot be used here. */
function pick(): Worker | null {
  if (unavailable) return null;
  const file = workerFile();
  if (!file) {
    unavailable = true;
    return null;
  }
  const idle = workers.find((w) => load.get(w) === 0);
  if (idle) return idle;
  if (workers.length < THREADS) return start(file);
  return workers.reduce((a, b) => ((load.get(a) ?? 0) <= (load.get(b) ?? 0) ? a : b));
}

/** The SVG drawn as `kind` on a worker thread, or null when there is none to draw on (then draw in this thread). */
export function drawOnThread(kind: 'png' | 'pdf', svg: string, options?: PdfOptions): Promise<Buffer> | null {
  const worker = pick();
  if (!worker) return null;
  const id = next++;
  load.set(worker, (load.get(worker) ?? 0) + 1);
  worker.ref();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, worker });
    worker.postMessage({ id, kind, svg, options } satisfies DrawRequest);
  });
}
