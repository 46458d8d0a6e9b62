import type { AcrossSeeds, IntervalMethod, LayerStats, Result, SeedRun } from '../results/schema.ts';
import { delongInterval } from '../stats/delong.ts';
import { wilson } from '../stats/interval.ts';
import { meanOverSeeds, type Bounds } from '../stats/seeds.ts';
import { fixed, type Lang, percent, pick } from '../i18n/index.ts';

// The one catalogue of statistics: what each is, its bounds, how it is read
// per seed, how it is summarised across seeds and how its interval is made.
// The analysis stores `Result.statistics` from it; the answers, the layer
// table, the figures and their CSVs read those stored entries, so a number
// printed anywhere is the number a figure draws.

export type Format = 'percent' | 'decimal2' | 'decimal3';

/** Which entries a statistic has: per layer, per hidden layer, per probe class… */
export type Scope = 'layer' | 'hidden' | 'probe-layer' | 'probe-hidden' | 'probe' | 'probe-class' | 'model';

export interface Key {
  /** Index into a run's `layers`. */
  layer: number | null;
  probe: number | null;
  class: number | null;
}

export interface Statistic {
  id: string;
  /** Short name, for tables, axes and keys. */
  label: string;
  /** The same in French. */
  fr: string;
  bounds: Bounds;
  format: Format;
  scope: Scope;
  /** Across seeds: the mean (jackknife interval), or the largest value (no interval: a worst case). */
  aggregate: 'mean' | 'max';
  /** One seed's value, or null where it has none. */
  read: (run: SeedRun, key: Key) => number | null;
  /** With one sample (one seed, or a layer all seeds share): the interval over inputs, if there is one. */
  single?: { method: Exclude<IntervalMethod, 'seeds' | 'none'>; interval: (run: SeedRun, key: Key, value: number, counts: Counts) => [number, number] | null };
}

/** Input counts the one-sample intervals need. */
export interface Counts {
  test: number;
  probe: (label: number) => number;
}

const share: Bounds = [0, 1];
const layerOf = (run: SeedRun, key: Key) => run.layers[key.layer!];
const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const wilsonOver = (n: (run: SeedRun, key: Key, c: Counts) => number) => ({
  method: 'wilson' as const,
  interval: (run: SeedRun, key: Key, v: number, c: Counts) => {
    const size = n(run, key, c);
    return size > 0 ? wilson(Math.round(v * size), size) : null;
  },
});
const overTest = wilsonOver((_, __, c) => c.test);
const overProbe = wilsonOver((_, key, c) => c.probe(key.probe!));

function layerStat(
  id: string,
  [label, fr]: [string, string],
  bounds: Bounds,
  format: Format,
  read: (l: LayerStats) => number | null,
  single?: Statistic['single'],
): Statistic {
  return { id, label, fr, bounds, format, scope: 'layer', aggregate: 'mean', read: (run, key) => read(layerOf(run, key)), single };
}

function aucStat(score: LayerStats['ood'][number]['score']): Statistic {
  return {
    id: `auc:${score}`,
    label: SCORE_LABELS[score].en,
    fr: SCORE_LABELS[score].fr,
    bounds: share,
    format: 'decimal3',
    scope: 'probe-layer',
    aggregate: 'mean',
    read: (run, key) => layerOf(run, key).ood.find((o) => o.probe === key.probe && o.score === score)?.auc ?? null,
    single: {
      method: 'delong',
      interval: (run, key, v) => {
        const cov = run.oodCovariance.find((c) => c.probe === key.probe);
        const name = layerOf(run, key).name;
        const k = cov?.candidates.findIndex((c) => c.layer === name && c.score === score) ?? -1;
        return cov && k >= 0 ? delongInterval(v, cov.matrix[k][k]) : null;
      },
    },
  };
}

export const SCORE_LABELS: Record<LayerStats['ood'][number]['score'], { en: string; fr: string }> = {
  mahalanobis: { en: 'Mahalanobis distance', fr: 'distance de Mahalanobis' },
  'relative-mahalanobis': { en: 'relative Mahalanobis distance', fr: 'distance de Mahalanobis relative' },
  knn: { en: 'k-th nearest-neighbour distance', fr: 'distance au k-ième plus proche voisin' },
  centroid: { en: 'nearest-centroid distance', fr: 'distance au centroïde le plus proche' },
};

export const CATALOGUE: Statistic[] = [
  layerStat('probeAccuracy', ['linear-probe accuracy', 'exactitude de la sonde linéaire'], share, 'percent', (l) => l.probeAccuracy, overTest),
  layerStat('knnAccuracy', ['k-NN accuracy', 'exactitude des k-PPV'], share, 'percent', (l) => l.knnAccuracy, overTest),
  layerStat('nmiAtClasses', ['NMI (k = classes)', 'NMI (k = classes)'], share, 'decimal2', (l) => l.atClasses.nmi),
  layerStat('nmi', ['NMI', 'NMI'], share, 'decimal2', (l) => l.nmi),
  layerStat('ari', ['ARI', 'ARI'], [-1, 1], 'decimal2', (l) => l.ari),
  layerStat('purity', ['purity', 'pureté'], share, 'percent', (l) => l.purity.test, overTest),
  layerStat('silhouette', ['silhouette', 'silhouette'], [-1, 1], 'decimal2', (l) => l.silhouette),
  {
    id: 'classDistance',
    label: 'class-mean distance / within-class spread',
    fr: 'distance des moyennes / dispersion intra-classe',
    bounds: [0, null],
    format: 'decimal2',
    scope: 'hidden',
    aggregate: 'mean',
    read: (run, key) => layerOf(run, key).classDistance?.value ?? null,
    single: { method: 'bootstrap', interval: (run, key) => layerOf(run, key).classDistance?.interval ?? null },
  },
  {
    id: 'permutationP',
    label: 'permutation p (largest over seeds)',
    fr: 'p de permutation (le plus grand des graines)',
    bounds: share,
    format: 'decimal3',
    scope: 'hidden',
    aggregate: 'max',
    read: (run, key) => layerOf(run, key).permutation?.p ?? null,
  },
  {
    id: 'jaccard',
    label: 'Jaccard overlap of specific paths',
    fr: 'recouvrement de Jaccard des chemins spécifiques',
    bounds: share,
    format: 'decimal2',
    scope: 'hidden',
    aggregate: 'mean',
    read: (run, key) => {
      const l = layerOf(run, key);
      return l.noSpecificPath ? null : meanOf(l.pairs.map((p) => p.jaccard ?? 0));
    },
  },
  {
    id: 'cosine',
    label: 'cosine distance of class signatures',
    fr: 'distance cosinus des signatures de classe',
    bounds: [0, 2],
    format: 'decimal2',
    scope: 'hidden',
    aggregate: 'mean',
    read: (run, key) => meanOf(layerOf(run, key).pairs.map((p) => p.cosine)),
  },
  aucStat('mahalanobis'),
  aucStat('relative-mahalanobis'),
  aucStat('knn'),
  aucStat('centroid'),
  {
    id: 'leftPaths',
    label: 'share of unseen inputs on a cluster path no training input took',
    fr: 'part des entrées inconnues sur un chemin de clusters absent de l’entraînement',
    bounds: share,
    format: 'percent',
    scope: 'probe-hidden',
    aggregate: 'mean',
    read: (run, key) => layerOf(run, key).leftPaths.find((p) => p.probe === key.probe)?.share ?? null,
    single: overProbe,
  },
  {
    id: 'predictedShare',
    label: 'share of unseen inputs predicted as the class',
    fr: 'part des entrées inconnues prédites dans la classe',
    bounds: share,
    format: 'percent',
    scope: 'probe-class',
    aggregate: 'mean',
    read: (run, key) => probeOf(run, key)?.predicted.find((p) => p.label === key.class)?.share ?? null,
    single: overProbe,
  },
  {
    id: 'seenPathShare',
    label: 'share of unseen inputs on a whole cluster path seen in training',
    fr: 'part des entrées inconnues sur un chemin de clusters vu à l’entraînement',
    bounds: share,
    format: 'percent',
    scope: 'probe',
    aggregate: 'mean',
    read: (run, key) => probeOf(run, key)?.seenPathShare ?? null,
    single: overProbe,
  },
  {
    id: 'auc:msp',
    label: 'maximum softmax probability',
    fr: 'probabilité softmax maximale',
    bounds: share,
    format: 'decimal3',
    scope: 'probe',
    aggregate: 'mean',
    read: (run, key) => probeOf(run, key)?.baselines.msp ?? null,
  },
  {
    id: 'auc:energy',
    label: 'energy score',
    fr: 'score d’énergie',
    bounds: share,
    format: 'decimal3',
    scope: 'probe',
    aggregate: 'mean',
    read: (run, key) => probeOf(run, key)?.baselines.energy ?? null,
  },
  {
    id: 'auc:pathRarity',
    label: 'cluster-path rarity',
    fr: 'rareté du chemin de clusters',
    bounds: share,
    format: 'decimal3',
    scope: 'probe',
    aggregate: 'mean',
    read: (run, key) => probeOf(run, key)?.baselines.pathRarity ?? null,
  },
  {
    id: 'testAccuracy',
    label: 'model test accuracy',
    fr: 'exactitude du modèle en test',
    bounds: share,
    format: 'percent',
    scope: 'model',
    aggregate: 'mean',
    read: (run) => run.training.testAccuracy,
    single: overTest,
  },
  {
    id: 'ownPathShare',
    label: 'share of test inputs on their own class’s cluster path',
    fr: 'part des entrées de test sur un chemin de clusters de leur classe',
    bounds: share,
    format: 'percent',
    scope: 'model',
    aggregate: 'mean',
    read: (run) => ownPathShare(run),
    single: overTest,
  },
  {
    id: 'specificMatch',
    label: 'share of test inputs whose specific path is most like their class’s',
    fr: 'part des entrées de test dont le chemin spécifique ressemble le plus à celui de leur classe',
    bounds: share,
    format: 'percent',
    scope: 'model',
    aggregate: 'mean',
    read: (run) => run.paths.specificMatch,
    single: overTest,
  },
];

function probeOf(run: SeedRun, key: Key) {
  return run.probes.find((p) => p.label === key.probe);
}

/** Share of test inputs (all trained classes) whose whole path is taken mostly by their own class in training. */
function ownPathShare(run: SeedRun): number | null {
  const n = run.paths.ownPathShare.reduce((s, c) => s + c.n, 0);
  return n ? run.paths.ownPathShare.reduce((s, c) => s + c.share * c.n, 0) / n : null;
}

const BY_ID = new Map(CATALOGUE.map((s) => [s.id, s]));

export function statisticOf(id: string): Statistic {
  const s = BY_ID.get(id);
  if (!s) throw new Error(`no statistic "${id}" in the catalogue`);
  return s;
}

export function formatStat(id: string, value: number, lang: Lang = 'en'): string {
  const { format } = statisticOf(id);
  return format === 'percent' ? percent(value, lang) : fixed(value, format === 'decimal2' ? 2 : 3, lang);
}

/** A statistic's short name in a language. */
export function labelOf(id: string, lang: Lang = 'en'): string {
  const s = statisticOf(id);
  return lang === 'fr' ? s.fr : s.label;
}

/**
 * One statistic across seeds: the mean (or the largest value) of the seeds'
 * values; the jackknife interval over seeds, except where the seeds cannot
 * differ (the raw input layer, `sharedBySeeds`) or happen to agree exactly,
 * where it is the one-sample interval over inputs, or none.
 */
export function acrossSeeds(stat: Statistic, runs: SeedRun[], key: Key, counts: Counts, sharedBySeeds: boolean): AcrossSeeds | null {
  const values = runs.map((r) => stat.read(r, key));
  if (values.some((v) => v === null || !Number.isFinite(v))) return null;
  const vs = values as number[];
  if (stat.aggregate === 'max') return { mean: Math.max(...vs), interval: null, method: 'none', values: vs };
  const spread = vs.some((v) => v !== vs[0]);
  if (vs.length >= 2 && !sharedBySeeds && spread) {
    const { value, interval } = meanOverSeeds(vs, stat.bounds);
    if (interval) return { mean: value, interval, method: 'seeds', values: vs };
  }
  const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
  const single = stat.single?.interval(runs[0], key, mean, counts) ?? null;
  return { mean, interval: single, method: single ? stat.single!.method : 'none', values: vs };
}

/** Every catalogue statistic of the runs, for every key it has. */
export function statisticsTable(runs: SeedRun[], counts: Counts, classes: number[], probes: number[]): Result['statistics'] {
  const layers = runs[0].layers;
  const out: Result['statistics'] = [];
  const add = (stat: Statistic, key: Key) => {
    const shared = key.layer !== null && layers[key.layer].kind === 'input';
    const value = acrossSeeds(stat, runs, key, counts, shared);
    if (value) out.push({ statistic: stat.id, layer: key.layer === null ? null : layers[key.layer].name, probe: key.probe, class: key.class, value });
  };
  const layerIdx = layers.map((_, i) => i);
  const hiddenIdx = layerIdx.filter((i) => layers[i].kind === 'hidden');
  for (const stat of CATALOGUE) {
    const keys: Key[] =
      stat.scope === 'layer'
        ? layerIdx.map((layer) => ({ layer, probe: null, class: null }))
        : stat.scope === 'hidden'
          ? hiddenIdx.map((layer) => ({ layer, probe: null, class: null }))
          : stat.scope === 'probe-layer'
            ? probes.flatMap((probe) => layerIdx.map((layer) => ({ layer, probe, class: null })))
            : stat.scope === 'probe-hidden'
              ? probes.flatMap((probe) => hiddenIdx.map((layer) => ({ layer, probe, class: null })))
              : stat.scope === 'probe'
                ? probes.map((probe) => ({ layer: null, probe, class: null }))
                : stat.scope === 'probe-class'
                  ? probes.flatMap((probe) => classes.map((c) => ({ layer: null, probe, class: c })))
                  : [{ layer: null, probe: null, class: null }];
    for (const key of keys) add(stat, key);
  }
  return out;
}

/** The stored entry of a statistic, by layer name, probe and class (null where it has none). */
export function storedStat(
  r: Pick<Result, 'statistics'>,
  id: string,
  where: { layer?: string | null; probe?: number | null; class?: number | null } = {},
): Result['statistics'][number] | undefined {
  return r.statistics.find(
    (s) => s.statistic === id && s.layer === (where.layer ?? null) && s.probe === (where.probe ?? null) && s.class === (where.class ?? null),
  );
}

/** How a stored statistic is cited in a fact's `source`: `statistics[id|layer|probe|class]`. */
export function statSource(id: string, where: { layer?: string | null; probe?: number | null; class?: number | null }, field: 'mean' | 'lo' | 'hi'): string {
  return `statistics[${id}|${where.layer ?? ''}|${where.probe ?? ''}|${where.class ?? ''}].${field}`;
}

/** Words for an interval's method, after "95 % CI lo–hi". */
export function methodText(method: IntervalMethod, seeds: number, lang: Lang = 'en'): string {
  switch (method) {
    case 'seeds':
      return pick(lang, `over ${seeds} seeds`, `sur ${seeds} graines`);
    case 'wilson':
      return pick(lang, 'Wilson, over inputs', 'Wilson, sur les entrées');
    case 'delong':
      return pick(lang, 'DeLong, over inputs', 'DeLong, sur les entrées');
    case 'bootstrap':
      return pick(lang, 'bootstrap over inputs', 'bootstrap sur les entrées');
    default:
      return pick(lang, 'no interval', 'sans intervalle');
  }
}
