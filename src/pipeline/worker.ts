// One experiment in its own process, with its own engine: started by
// scripts/experiments.ts when runs go in parallel (--jobs), it reports its
// progress and its outcome to the parent over IPC, never its whole result.
import type { BackendChoice } from '../engine/index.ts';
import type { EpochRecord } from '../model/types.ts';
import { runFailure, type RunFailure } from '../spec/errors.ts';
import type { LoadedExperiment } from '../spec/load.ts';
import { engineLine, outcomeLine, type OutcomeSummary } from './outcome.ts';
import { runExperiment, type Stage } from './run.ts';

export interface WorkerTask {
  experiment: LoadedExperiment;
  resultsDir: string;
  force: boolean;
  backend?: BackendChoice;
  /** Seeds run at once (RunOptions.seedJobs). */
  seedJobs: number;
}

export type WorkerMessage =
  | { type: 'stage'; stage: Stage; seed?: number }
  | { type: 'epoch'; record: EpochRecord; epochs: number }
  | { type: 'done'; summary: OutcomeSummary; line: string; engine: string }
  | { type: 'wait'; holder: string }
  | { type: 'failed'; failure: RunFailure };

const send = (m: WorkerMessage) => new Promise<void>((done) => process.send!(m, () => done()));

process.once('message', async (task: WorkerTask) => {
  try {
    const t0 = performance.now();
    const outcome = await runExperiment(task.experiment, {
      resultsDir: task.resultsDir,
      force: task.force,
      backend: task.backend,
      seedJobs: task.seedJobs,
      onStage: (stage, seed) => void send({ type: 'stage', stage, seed }),
      onWait: (holder) => void send({ type: 'wait', holder }),
      training: { onEpoch: (record, epochs) => void send({ type: 'epoch', record, epochs }) },
    });
    const { summary, line } = outcomeLine(task.experiment.id, outcome, performance.now() - t0);
    await send({ type: 'done', summary, line, engine: engineLine(outcome.result) });
  } catch (err) {
    await send({ type: 'failed', failure: runFailure(task.experiment.id, task.experiment.file, err) });
  }
  process.disconnect();
});
