import type { RunOutcome } from './run.ts';
import type { Result } from '../results/schema.ts';

export interface OutcomeSummary {
  status: RunOutcome['status'];
  seeds: number;
  samplesPerSecond: number;
  testAccuracy: number;
}

/** The one line the command prints for an experiment that ran. */
export function outcomeLine(id: string, { status, result, why }: RunOutcome, ms: number): { summary: OutcomeSummary; line: string } {
  const mean = (f: (r: (typeof result.runs)[number]) => number) => result.runs.reduce((s, r) => s + f(r), 0) / result.runs.length;
  const summary = {
    status,
    seeds: result.runs.length,
    samplesPerSecond: mean((r) => r.training.samplesPerSecond),
    testAccuracy: mean((r) => r.training.testAccuracy),
  };
  const seeds = summary.seeds === 1 ? '1 seed' : `${summary.seeds} seeds`;
  const reused = result.run.reusedTraining.length;
  const detail =
    status === 'built' && reused === summary.seeds
      ? `reanalysed the stored models of ${seeds}, nothing trained, because ${why}`
      : status === 'built'
        ? `trained ${reused ? `${summary.seeds - reused} of ${seeds}` : seeds} ${result.run.loop.loop === 'fused' ? 'with the fused kernel' : `on ${result.run.backend}`} (${Math.round(summary.samplesPerSecond)} samples/s) because ${why || 'there was no result'}`
        : status === 'reused'
          ? 'stored result reused, nothing trained'
          : 'only labels changed, result reused';
  return { summary, line: `  ✓ ${id}: ${status} in ${(ms / 1000).toFixed(1)} s, ${detail}; test accuracy ${(100 * summary.testAccuracy).toFixed(1)} %` };
}

/** The engine and training loop a built result ran on, and why, for the progress display. */
export function engineLine(result: Result): string {
  const { backend, backendReason, loop } = result.run;
  return `${backend}: ${backendReason}; training loop ${loop.loop}: ${loop.reason}`;
}
