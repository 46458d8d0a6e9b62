import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { BackendChoice } from '../engine/index.ts';
import type { EpochRecord } from '../model/types.ts';
import type { SeedRun } from '../results/schema.ts';
import { FieldError } from '../spec/errors.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import type { InputPart } from './input-layer.ts';
import type { InputReuse, SeedHooks, SeedOutput, Stage } from './seed.ts';

// Seeds of one experiment in parallel: each extra lane is a worker thread
// with its own TF.js engine and its own copy of the data, running the same
// runSeed as the experiment's thread, and waiting, stage by stage, for the
// part of the input layer's work that stage needs (sent as it is done).
// Threads, not processes: a seed's activations and clusters come back as
// typed arrays, with no file between.

interface Setup {
  role: 'chemins-seed';
  spec: ExperimentSpec;
  baseDir: string;
  choice: BackendChoice;
  dir: string;
}

interface Job {
  seed: number;
  index: number;
  before: SeedRun | null;
  reuse: InputReuse;
}

/** A part of the input layer's work, sent to every thread as soon as it is done (input-layer.ts). */
interface Part {
  type: 'input-part';
  part: InputPart;
  reuse: Partial<InputReuse>;
}

/** The maps of `reuse` that hold `part`. */
function partOf(reuse: InputReuse, part: InputPart): Partial<InputReuse> {
  if (part === 'clusters') return { clusters: reuse.clusters };
  if (part === 'analysis') return { separation: reuse.separation, scores: reuse.scores };
  return { maps: reuse.maps };
}

const holds = (reuse: InputReuse, part: InputPart) =>
  part === 'clusters' ? reuse.clusters.size > 0 : part === 'analysis' ? reuse.separation.size > 0 && reuse.scores.size > 0 : reuse.maps.size > 0;

function merge(into: InputReuse, from: Partial<InputReuse>): void {
  for (const key of ['clusters', 'separation', 'scores', 'maps'] as const)
    for (const [name, value] of from[key] ?? []) (into[key] as Map<string, unknown>).set(name, value);
}

type Reply =
  | { type: 'stage'; stage: Stage; seed: number }
  | { type: 'epoch'; record: EpochRecord; epochs: number }
  | { type: 'done'; index: number; output: SeedOutput }
  | { type: 'failed'; index: number; name: string; message: string; stack?: string; field?: string; hint?: string };

/** An error from a seed thread, as it was thrown there (a FieldError keeps its field and hint). */
function revive(r: Extract<Reply, { type: 'failed' }>): Error {
  const err = r.field !== undefined ? new FieldError(r.field, r.message.slice(r.field.length + 2), r.hint ?? '') : new Error(r.message);
  err.name = r.name;
  if (r.stack) err.stack = r.stack;
  return err;
}

/**
 * A seed thread: started once, given its seeds all at once (it runs them in
 * turn), so that it never waits for the experiment's thread, busy with seeds
 * of its own, to hand it the next.
 */
export class SeedThread {
  private readonly worker: Worker;
  /** The seeds sent and not yet reported, by their index in the spec's list. */
  private readonly pending = new Map<number, { resolve: (o: SeedOutput) => void; reject: (e: Error) => void }>();
  private hooks: SeedHooks = {};
  /** Why the thread can take no seed (it failed to start, or died between seeds). */
  private broken: Error | null = null;

  constructor(setup: Omit<Setup, 'role'>) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { role: 'chemins-seed', ...setup } satisfies Setup });
    this.worker.on('message', (m: Reply) => {
      if (m.type === 'stage') this.hooks.onStage?.(m.stage, m.seed);
      else if (m.type === 'epoch') this.hooks.training?.onEpoch?.(m.record, m.epochs);
      else {
        const p = this.pending.get(m.index);
        this.pending.delete(m.index);
        if (m.type === 'done') p?.resolve(m.output);
        else p?.reject(revive(m));
      }
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`a seed thread ended (exit code ${code}) before reporting its seed`)));
  }

  private fail(err: Error): void {
    this.broken ??= err;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(err);
  }

  /** Sends a seed; the thread runs the seeds it is sent in the order sent. */
  run(job: Job, hooks: SeedHooks): Promise<SeedOutput> {
    if (this.broken) return Promise.reject(this.broken);
    this.hooks = hooks;
    return new Promise((resolve, reject) => {
      this.pending.set(job.index, { resolve, reject });
      this.worker.postMessage(job);
    });
  }

  /** Sends a part of the input layer's work as soon as it is done: the thread's seeds wait for it (runSeed's `waitFor`). */
  share(part: InputPart, reuse: InputReuse): void {
    if (!this.broken) this.worker.postMessage({ type: 'input-part', part, reuse: partOf(reuse, part) } satisfies Part);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.fail(new Error('the seed thread was closed before reporting its seed'));
    await this.worker.terminate();
  }
}

async function serve(setup: Setup): Promise<void> {
  const { selectEngine } = await import('../engine/index.ts');
  const { loadData } = await import('../data/index.ts');
  const { allInputs } = await import('../activations/index.ts');
  const { emptyReuse, runSeed } = await import('./seed.ts');
  const { tf } = await selectEngine(setup.choice);
  const data = loadData(setup.spec.dataset, setup.baseDir);
  const x = allInputs(data);
  const post = (m: Reply) => parentPort!.postMessage(m);
  // The input layer's work, the same for every seed this thread runs: what came with a job, and the parts sent as they were done.
  const reuse = emptyReuse();
  const waiting: { part: InputPart; resolve: () => void }[] = [];
  const waitFor = (part: InputPart) => (holds(reuse, part) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ part, resolve })));
  const wake = () => {
    for (const w of waiting.splice(0)) {
      if (holds(reuse, w.part)) w.resolve();
      else waiting.push(w);
    }
  };
  // Seeds in the order sent, one at a time: a message handler would start the next while one awaits.
  let turn = Promise.resolve();
  const runJob = async (job: Job) => {
    merge(reuse, job.reuse);
    try {
      const output = await runSeed(
        tf,
        { spec: setup.spec, data, x, seed: job.seed, index: job.index, dir: setup.dir, before: job.before, reuse, waitFor },
        { onStage: (stage, seed) => post({ type: 'stage', stage, seed }), training: { onEpoch: (record, epochs) => post({ type: 'epoch', record, epochs }) } },
      );
      post({ type: 'done', index: job.index, output });
    } catch (e) {
      const err = e as Error & Partial<FieldError>;
      post({ type: 'failed', index: job.index, name: err.name, message: err.message, stack: err.stack, field: err.field, hint: err.hint });
    }
  };
  parentPort!.on('message', (m: Job | Part) => {
    if ('type' in m) {
      merge(reuse, m.reuse);
      wake();
      return;
    }
    turn = turn.then(() => runJob(m));
  });
}

if (!isMainThread && (workerData as Setup | undefined)?.role === 'chemins-seed') await serve(workerData as Setup);
