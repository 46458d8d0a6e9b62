import type { Result } from '../results/schema.ts';
import { dataCounts, dataSamples } from './data.ts';
import { pathsFlow } from './flow.ts';
import { clusterComposition, purity } from './layers.ts';
import { probePredictions } from './probes.ts';
import { trainingAccuracy, trainingLoss } from './training.ts';
import type { FigureDef } from './types.ts';

export type { FigureDef } from './types.ts';

/** Every figure of an experiment page, in page order. */
export const FIGURES: FigureDef[] = [dataCounts, dataSamples, trainingLoss, trainingAccuracy, purity, clusterComposition, pathsFlow, probePredictions];

export function figuresFor(r: Result): FigureDef[] {
  return FIGURES.filter((f) => f.applies?.(r) ?? true);
}

export function figureByName(name: string): FigureDef | undefined {
  return FIGURES.find((f) => f.name === name);
}
