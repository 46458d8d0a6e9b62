import type { Activations } from '../activations/index.ts';
import type { Dataset } from '../data/types.ts';
import type { LayerStats, SeedRun } from '../results/schema.ts';
import type { Signatures } from '../signatures/index.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { ckaMatrix } from './cka.ts';
import { classSignatures, specificPathMatch } from './classes.ts';
import { makeContext } from './context.ts';
import { exemplars } from './exemplars.ts';
import { baselineAucs, outOfDistribution, type Scores } from './ood.ts';
import { analysePaths, pathStats, predictions } from './paths.ts';
import { analyseProbes } from './probes.ts';
import { projections } from './projections.ts';
import { releaseSharedGemms } from '../stats/gemm.ts';
import { separation, type Separation } from './separation.ts';

export type SeedAnalysis = Omit<SeedRun, 'seed' | 'training'>;

export interface AnalyseOptions {
  /** Keep ROC curves and score histograms (the figures read the first seed's). */
  curves: boolean;
  /** Separation statistics already computed for a layer that does not change between seeds (the input). */
  reuse?: Map<string, Separation>;
  /** Out-of-distribution scores of the input layer, shared by every seed. */
  inputScores?: Map<string, Scores>;
  /** CPU milliseconds of this thread spent in each part of the analysis, added to (for the stage timings and the benchmark). */
  parts?: Record<string, number>;
}

/** This thread's CPU time in milliseconds: unlike wall time, it does not count other processes' turns on a busy machine. */
export const threadCpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

/** Runs `work`, adding its CPU time to `parts[name]`. */
export function timed<T>(parts: Record<string, number> | undefined, name: string, work: () => T): T {
  const t0 = threadCpuMs();
  try {
    return work();
  } finally {
    if (parts) parts[name] = (parts[name] ?? 0) + Math.round(threadCpuMs() - t0);
  }
}

/** Every statistic of one seed's model: the three questions, layer by layer. */
export function analyse(
  spec: ExperimentSpec,
  data: Dataset,
  acts: Activations,
  sigs: Signatures,
  kernels: Float32Array[],
  options: AnalyseOptions,
): SeedAnalysis & { separations: Map<string, Separation>; scores: Scores[] } {
  try {
    return analyseSeed(spec, data, acts, sigs, kernels, options);
  } finally {
    releaseSharedGemms();
  }
}

function analyseSeed(
  spec: ExperimentSpec,
  data: Dataset,
  acts: Activations,
  sigs: Signatures,
  kernels: Float32Array[],
  options: AnalyseOptions,
): SeedAnalysis & { separations: Map<string, Separation>; scores: Scores[] } {
  const ctx = makeContext(spec, data, acts, sigs, kernels);
  const paths = analysePaths(data, acts, sigs, ctx.labels, spec.analysis.topPaths);
  const probes = analyseProbes(data, acts, sigs, ctx.labels, spec.analysis.topPaths);
  const t = <T>(name: string, work: () => T) => timed(options.parts, name, work);
  const ood = outOfDistribution(ctx, options.curves, options.inputScores, t);
  const separations = new Map<string, Separation>();
  let hiddenIndex = 0;
  const q2: { layerIndex: number; hiddenIndex: number; classes: { label: number; specific: number[] }[] }[] = [];
  const layers: LayerStats[] = acts.layers.map((layer, li) => {
    const sig = sigs.layers[li];
    const sep = options.reuse?.get(layer.name) ?? separation(ctx, li, sig, t, ood.scores[li].neighbours);
    separations.set(layer.name, sep);
    const clusters = composition(sig.assignments, ctx.labels);
    const q2Stats =
      layer.kind === 'hidden'
        ? t('signatures', () => classSignatures(ctx, li, hiddenIndex))
        : { classes: [], pairs: [], permutation: null, classDistance: null };
    if (layer.kind === 'hidden') q2.push({ layerIndex: li, hiddenIndex: hiddenIndex++, classes: q2Stats.classes });
    const reduction = layer.reduction ? { reduction: layer.reduction } : {};
    return {
      name: layer.name,
      kind: layer.kind,
      units: layer.units,
      k: sig.k,
      kScores: sig.kScores,
      inertia: sig.inertia,
      ...sep,
      clusters,
      ...ood.perLayer[li],
      ...q2Stats,
      ...reduction,
    };
  });
  const predicted = predictions(acts);
  return {
    layers,
    cka: t('cka', () => ckaMatrix(acts, ctx.rows.test, spec.analysis.seed)),
    paths: {
      ...paths,
      stats: pathStats(sigs, ctx.labels, [...ctx.rows.train, ...ctx.rows.test], predicted, data.classes),
      specificMatch: t('signatures', () => specificPathMatch(ctx, q2)),
    },
    probes: probes.map((p) => ({ ...p, baselines: t('baselines', () => baselineAucs(ctx, p.label)) })),
    oodCurves: ood.curves,
    oodCovariance: ood.covariance,
    // The figures' 2-D maps and example inputs: the first seed's only.
    ...(options.curves ? { projections: t('projections', () => projections(ctx)), exemplars: t('exemplars', () => exemplars(ctx)) } : {}),
    separations,
    // Each layer's out-of-distribution scores of the held-out inputs, for the per-input export (not stored in the result).
    scores: ood.scores,
  };
}

function composition(assignments: Int32Array, labels: Int32Array): LayerStats['clusters'] {
  const counts = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) counts.set(`${assignments[i]} ${labels[i]}`, (counts.get(`${assignments[i]} ${labels[i]}`) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => {
      const [cluster, label] = key.split(' ').map(Number);
      return { cluster, label, count };
    })
    .sort((a, b) => a.cluster - b.cluster || a.label - b.label);
}
