import type { Activations } from '../activations/index.ts';
import type { Dataset } from '../data/types.ts';
import type { Result } from '../results/schema.ts';
import type { Signatures } from '../signatures/index.ts';
import type { ExperimentSpec } from '../spec/schema.ts';
import { separationAnswer, signaturesAnswer, unseenAnswer } from './answers.ts';
import { allLabels, analyseLayers } from './layers.ts';
import { analysePaths } from './paths.ts';
import { analyseProbes } from './probes.ts';

export type Analysis = Pick<Result, 'layers' | 'paths' | 'probes' | 'answers'>;

export function analyse(spec: ExperimentSpec, data: Dataset, acts: Activations, sigs: Signatures): Analysis {
  const labels = allLabels(data);
  const layers = analyseLayers(data, acts, sigs);
  const paths = analysePaths(data, acts, sigs, labels, spec.analysis.topPaths);
  const probes = analyseProbes(data, acts, sigs, labels, spec.analysis.topPaths);
  const unseen = unseenAnswer(probes);
  const answers = [separationAnswer(spec, layers, data.test.count), signaturesAnswer(paths), ...(unseen ? [unseen] : [])];
  return { layers, paths, probes, answers };
}
