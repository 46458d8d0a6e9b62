import type { Result } from '../results/schema.ts';
import { cka } from './cka.ts';
import { confusion } from './confusion.ts';
import { dataCounts, dataSamples, meanImages } from './data.ts';
import { clusterExemplars } from './exemplars.ts';
import { pathsFlow } from './flow.ts';
import { clusterComposition, purity } from './layers.ts';
import { specificNetwork } from './network.ts';
import { oodAuc, oodHistograms, oodRoc } from './ood.ts';
import { specificOverlap } from './overlap.ts';
import { probePredictions } from './probes.ts';
import { projectionsPca, projectionsUmap } from './projections.ts';
import { separation } from './separation.ts';
import { signatures } from './signatures.ts';
import { seedStability } from './stability.ts';
import { trainingAccuracy, trainingLoss } from './training.ts';
import type { FigureDef } from './types.ts';

export type { FigureDef } from './types.ts';

/** Every figure of an experiment page, in page order: data, training, then questions 1, 2 and 3, then seeds. */
export const FIGURES: FigureDef[] = [
  dataCounts,
  dataSamples,
  meanImages,
  trainingLoss,
  trainingAccuracy,
  confusion,
  separation,
  purity,
  cka,
  projectionsPca,
  projectionsUmap,
  clusterComposition,
  clusterExemplars,
  signatures,
  specificNetwork,
  specificOverlap,
  pathsFlow,
  probePredictions,
  oodAuc,
  oodRoc,
  oodHistograms,
  seedStability,
];

export function figuresFor(r: Result): FigureDef[] {
  return FIGURES.filter((f) => f.applies?.(r) ?? true);
}

export function figureByName(name: string): FigureDef | undefined {
  return FIGURES.find((f) => f.name === name);
}
