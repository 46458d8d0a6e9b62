import type { Answer, Fact, SeedRun } from '../results/schema.ts';
import { fixed, type Lang, LANGS, NNBSP } from '../i18n/index.ts';
import { nameOf } from '../util/format.ts';
import { formatStat, labelOf, SCORE_LABELS, storedStat } from './catalogue.ts';
import { type Draft, Facts, type Where } from './statement.ts';
import { SCORES, type ScoreName } from './ood.ts';

// The three answers, built from the stored statistics (`Result.statistics`):
// every number a statement prints is a stored value, formatted by the
// catalogue, and listed with where it is stored (`facts`), so a test can
// recompute each one. Nothing is typed in.
//
// Each answer is written once per language from the same numbers: a sentence
// is one template per language side by side (`say`), and its numbers go in
// through the same builder (statement.ts), formatted for that language (a French fact's
// `text` is what the French sentence prints; its value and source are the
// English one's).

/** French punctuation: a narrow no-break space before ; and a no-break space before :. */
const SEMI = `${NNBSP};`;
const COLON = '\u00A0:';

/** The level at which a permutation test counts as significant: a convention, printed as is. */
export const SIGNIFICANCE = 0.05;

const value = (r: Draft, id: string, where: Where) => storedStat(r, id, where)?.value;

/** "1s and 7s" / "les 1 et les 7", or "the 9 trained classes" when there are many. */
function classList(r: Draft, f: Facts, plural = false): string {
  const c = r.spec.dataset.classes;
  if (c.length > 3) {
    const n = f.num(c.length, 'dataset.classes.length');
    return f.say(`the ${n} trained classes`, `les ${n} classes entraînées`);
  }
  if (f.lang === 'fr') {
    const shown = c.map((l) => `les ${nameOf(r.dataset.names, l)}`);
    return `${shown.slice(0, -1).join(', ')} et ${shown.at(-1)}`;
  }
  const shown = c.map((l) => `${nameOf(r.dataset.names, l)}${plural ? 's' : ''}`);
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** « les 1 et les 7 » after « de »: « des 1 et des 7 ». */
const de = (classes: string) => classes.replace(/\bles /g, 'des ');

interface Written {
  statement: string;
  unit: string;
  facts: Fact[];
}

/** One answer in every language: the English one is the answer itself, the others its translations. */
function inEveryLanguage(write: (lang: Lang) => { answer: Answer; unit: string }): Answer {
  const [en, ...others] = LANGS.map((lang) => write(lang));
  const translations = Object.fromEntries(
    LANGS.slice(1).map((lang, i) => [lang, { statement: others[i].answer.statement, unit: others[i].unit, facts: others[i].answer.facts } satisfies Written]),
  ) as Answer['translations'];
  return { ...en.answer, unit: en.unit, translations };
}

function headline(
  r: Draft,
  question: Answer['question'],
  id: string,
  where: Where,
  unit: string,
  figure: string,
  statement: string,
  f: Facts,
): { answer: Answer; unit: string } {
  const e = storedStat(r, id, where)!;
  return {
    answer: {
      question,
      statistic: id,
      value: e.value.mean,
      interval: e.value.interval,
      intervalKind: e.value.method,
      values: e.value.values,
      unit,
      layer: where.layer ?? null,
      statement,
      figure,
      facts: f.list,
      translations: { fr: { statement: '', unit: '', facts: [] } },
    },
    unit,
  };
}

export function separationAnswer(r: Draft): Answer {
  return inEveryLanguage((lang) => separationIn(r, new Facts(r, lang)));
}

function separationIn(r: Draft, f: Facts) {
  const { separationThreshold: threshold, nmiThreshold } = r.spec.analysis;
  const layers = r.runs[0].layers.map((l) => l.name);
  const L = (name: string) => f.layer(name);
  const probe = layers.map((layer) => value(r, 'probeAccuracy', { layer })!.mean);
  const nmi = layers.map((layer) => value(r, 'nmiAtClasses', { layer })?.mean ?? NaN);
  const first = probe.findIndex((v) => v >= threshold);
  const firstClusters = nmi.findIndex((v) => v >= nmiThreshold);
  const names = classList(r, f, true);
  const t = f.text(threshold, formatStat('probeAccuracy', threshold, f.lang), 'spec.analysis.separationThreshold');
  const k = r.spec.dataset.classes.length;
  const K = () => f.num(k, 'dataset.classes.length');
  const N = () => f.num(nmiThreshold, 'spec.analysis.nmiThreshold', String(nmiThreshold).split('.')[1]?.length ?? 0);
  const clusterText = () =>
    firstClusters < 0
      ? f.say(
          () => `no layer's k-means clusters at k = ${K()} reach NMI ${N()}`,
          () => `les clusters k-means à k = ${K()} n’atteignent une NMI de ${N()} à aucune couche`,
        )
      : f.say(
          () =>
            `k-means clusters at k = ${K()} follow the labels from ${L(layers[firstClusters])} (NMI ${f.stat('nmiAtClasses', { layer: layers[firstClusters] })} ≥ ${N()})`,
          () =>
            `les clusters k-means à k = ${K()} suivent les étiquettes dès ${L(layers[firstClusters])} (NMI ${f.stat('nmiAtClasses', { layer: layers[firstClusters] })} ≥ ${N()})`,
        );
  const unit = f.say('linear-probe test accuracy', 'exactitude en test de la sonde linéaire');
  if (first < 0) {
    const best = layers[probe.indexOf(Math.max(...probe))];
    const statement = f.say(
      () =>
        `No layer separates ${names} past the ${t} threshold on mean linear-probe test accuracy: the best linear probe reaches ${f.stat('probeAccuracy', { layer: best })} (${f.ci('probeAccuracy', { layer: best })}) at ${L(best)}; ${clusterText()}.`,
      () =>
        `Aucune couche ne sépare ${names} au-delà du seuil de ${t} d’exactitude moyenne de la sonde linéaire en test${COLON} la meilleure sonde linéaire atteint ${f.stat('probeAccuracy', { layer: best })} (${f.ci('probeAccuracy', { layer: best })}) à ${L(best)}${SEMI} ${clusterText()}.`,
    );
    return headline(r, 'separation', 'probeAccuracy', { layer: best }, unit, 'separation', statement, f);
  }
  const layer = layers[first];
  const e = value(r, 'probeAccuracy', { layer })!;
  // A mean past the threshold whose interval is not wholly past it is said to be so.
  const straddles =
    e.interval && e.interval[0] < threshold
      ? f.say(', though its interval reaches below the threshold', ', bien que son intervalle descende sous le seuil')
      : '';
  const statement =
    r.runs[0].layers[first].kind === 'input'
      ? f.say(
          () =>
            `The raw pixels already separate ${names}: a linear probe on the input reaches ${f.stat('probeAccuracy', { layer })} test accuracy (${f.ci('probeAccuracy', { layer })}), past the ${t} threshold${straddles}, so no hidden layer is needed for it; ${clusterText()}.`,
          () =>
            `Les pixels bruts séparent déjà ${names}${COLON} une sonde linéaire sur l’entrée atteint ${f.stat('probeAccuracy', { layer })} d’exactitude en test (${f.ci('probeAccuracy', { layer })}), au-delà du seuil de ${t}${straddles}${SEMI} aucune couche cachée n’est donc nécessaire pour cela, et ${clusterText()}.`,
        )
      : f.say(
          () =>
            `A linear probe separates ${names} from ${L(layer)} on: ${f.stat('probeAccuracy', { layer })} test accuracy (${f.ci('probeAccuracy', { layer })}), past the ${t} threshold${straddles}, against ${f.stat('probeAccuracy', { layer: layers[0] })} (${f.ci('probeAccuracy', { layer: layers[0] })}) on the raw pixels; ${clusterText()}.`,
          () =>
            `Une sonde linéaire sépare ${names} à partir de ${L(layer)}${COLON} ${f.stat('probeAccuracy', { layer })} d’exactitude en test (${f.ci('probeAccuracy', { layer })}), au-delà du seuil de ${t}${straddles}, contre ${f.stat('probeAccuracy', { layer: layers[0] })} (${f.ci('probeAccuracy', { layer: layers[0] })}) sur les pixels bruts${SEMI} ${clusterText()}.`,
        );
  return headline(r, 'separation', 'probeAccuracy', { layer }, unit, 'separation', statement, f);
}

export function signaturesAnswer(r: Draft): Answer {
  return inEveryLanguage((lang) => signaturesIn(r, new Facts(r, lang)));
}

function signaturesIn(r: Draft, f: Facts) {
  const { permutations } = r.spec.analysis;
  const hidden = r.runs[0].layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
  const L = (name: string) => f.layer(name);
  const list = (names: string[]) => names.map(L).join(', ');
  const classes = classList(r, f, true);
  const own = f.say(
    () => `${f.stat('ownPathShare', {})} of test inputs (${f.ci('ownPathShare', {})}) follow a whole cluster path taken mostly by their own class in training.`,
    () =>
      `${f.stat('ownPathShare', {})} des entrées de test (${f.ci('ownPathShare', {})}) suivent un chemin de clusters complet emprunté surtout par leur propre classe à l’entraînement.`,
  );

  // A layer counts as different only when every seed's test says so: the largest p over seeds is below 0.05.
  const p = hidden.map((layer) => value(r, 'permutationP', { layer })!.mean);
  const significant = hidden.filter((_, i) => p[i] < SIGNIFICANCE);
  const notSignificant = hidden.filter((_, i) => !(p[i] < SIGNIFICANCE));
  const floor = 1 / (permutations + 1);
  const B = () => f.num(permutations, 'spec.analysis.permutations');
  const alpha = fixed(SIGNIFICANCE, 2, f.lang);
  const worst = significant.length
    ? significant.reduce((a, b) => (value(r, 'permutationP', { layer: b })!.mean > value(r, 'permutationP', { layer: a })!.mean ? b : a))
    : null;
  const atFloor = worst !== null && value(r, 'permutationP', { layer: worst })!.mean <= floor + 1e-12;
  const pText =
    worst === null
      ? ''
      : atFloor
        ? f.say(
            '; p is at its floor in every seed and layer: the difference beats every shuffle, and p says no more',
            `${SEMI} p est à son plancher pour chaque graine et chaque couche\u00A0: la différence bat toutes les permutations, et p n’en dit pas plus`,
          )
        : f.say(
            () => `; the largest p is ${f.stat('permutationP', { layer: worst })} (at ${L(worst)})`,
            () => `${SEMI} le plus grand p est ${f.stat('permutationP', { layer: worst })} (à ${L(worst)})`,
          );
  const test =
    significant.length === hidden.length
      ? f.say(
          () =>
            `On held-out test inputs, the signatures of ${classes} differ beyond chance at every hidden layer (permutation test of the between-class scatter, ${B()} label shuffles, p < ${alpha} in every seed${pText})`,
          () =>
            `Sur les entrées de test, les signatures ${de(classes)} diffèrent au-delà du hasard à chaque couche cachée (test de permutation de la dispersion inter-classes, ${B()} permutations des étiquettes, p < ${alpha} pour chaque graine${pText})`,
        )
      : significant.length === 0
        ? f.say(
            () =>
              `On held-out test inputs, no hidden layer's signatures of ${classes} differ beyond chance in every seed (permutation test, ${B()} label shuffles, p < ${alpha})`,
            () =>
              `Sur les entrées de test, à aucune couche cachée les signatures ${de(classes)} ne diffèrent au-delà du hasard pour toutes les graines (test de permutation, ${B()} permutations des étiquettes, p < ${alpha})`,
          )
        : f.say(
            () =>
              `On held-out test inputs, the signatures of ${classes} differ beyond chance (permutation test, ${B()} label shuffles, p < ${alpha} in every seed) at ${list(significant)}, not at ${list(notSignificant)}${pText}`,
            () =>
              `Sur les entrées de test, les signatures ${de(classes)} diffèrent au-delà du hasard (test de permutation, ${B()} permutations des étiquettes, p < ${alpha} pour chaque graine) à ${list(significant)}, pas à ${list(notSignificant)}${pText}`,
          );
  const d = hidden.map((layer) => value(r, 'classDistance', { layer })?.mean ?? NaN);
  const most = hidden[d.indexOf(Math.max(...d))];
  const least = hidden[d.indexOf(Math.min(...d))];
  const size =
    most === least
      ? f.say(
          () => `. They lie ${f.stat('classDistance', { layer: most })} within-class spreads apart at ${L(most)} (${f.ci('classDistance', { layer: most })})`,
          () =>
            `. Elles sont à ${f.stat('classDistance', { layer: most })} dispersions intra-classe l’une de l’autre à ${L(most)} (${f.ci('classDistance', { layer: most })})`,
        )
      : f.say(
          () =>
            `. They lie ${f.stat('classDistance', { layer: most })} within-class spreads apart at ${L(most)} (${f.ci('classDistance', { layer: most })}), the most, and ${f.stat('classDistance', { layer: least })} at ${L(least)} (${f.ci('classDistance', { layer: least })}), the least`,
          () =>
            `. Elles sont à ${f.stat('classDistance', { layer: most })} dispersions intra-classe l’une de l’autre à ${L(most)} (${f.ci('classDistance', { layer: most })}), au plus loin, et à ${f.stat('classDistance', { layer: least })} à ${L(least)} (${f.ci('classDistance', { layer: least })}), au plus près`,
        );

  // What the overlap figure shows, said as it shows it.
  const withPaths = hidden.filter((layer) => value(r, 'jaccard', { layer }) !== undefined);
  const jac = withPaths.map((layer) => value(r, 'jaccard', { layer })!.mean);
  const identical = withPaths.filter((layer) => formatStat('jaccard', value(r, 'jaccard', { layer })!.mean) === formatStat('jaccard', 1));
  const sameDirection = hidden.filter((layer) => formatStat('cosine', value(r, 'cosine', { layer })!.mean) === formatStat('cosine', 0));
  const skipped = hidden.length - withPaths.length;
  let paths: string;
  if (withPaths.length === 0)
    paths = f.say(
      ` No hidden layer has specific paths (${skipped > 1 ? 'its conv layers are' : 'its conv layer is'} read by PCA: a component is not a neuron).`,
      ` Aucune couche cachée n’a de chemin spécifique (${skipped > 1 ? 'ses couches de convolution sont lues' : 'sa couche de convolution est lue'} par ACP${COLON} une composante n’est pas un neurone).`,
    );
  else {
    const low = withPaths[jac.indexOf(Math.min(...jac))];
    const pca = hidden.filter((layer) => !withPaths.includes(layer));
    const none = pca.length
      ? f.say(
          ` (${list(pca)}, read by PCA, ${pca.length > 1 ? 'have' : 'has'} none: a component is not a neuron)`,
          ` (${list(pca)}, ${pca.length > 1 ? 'lues' : 'lue'} par ACP, n’en ${pca.length > 1 ? 'ont' : 'a'} pas${COLON} une composante n’est pas un neurone)`,
        )
      : '';
    paths = f.say(
      () => ` Their specific paths${none} overlap least at ${L(low)} (Jaccard ${f.stat('jaccard', { layer: low })})`,
      () => ` Leurs chemins spécifiques${none} se recouvrent le moins à ${L(low)} (Jaccard ${f.stat('jaccard', { layer: low })})`,
    );
    if (identical.length) {
      const at = () => identical.map((layer) => `${L(layer)} (Jaccard ${f.stat('jaccard', { layer })})`).join(', ');
      paths += f.say(
        () => ` and are identical at ${at()}`,
        () => ` et sont identiques à ${at()}`,
      );
    }
    paths += '.';
    if (storedStat(r, 'specificMatch', {}))
      paths += f.say(
        () => ` An input's own specific path is most like its class's for ${f.stat('specificMatch', {})} of test inputs (${f.ci('specificMatch', {})}).`,
        () =>
          ` Le chemin spécifique propre à une entrée ressemble le plus à celui de sa classe pour ${f.stat('specificMatch', {})} des entrées de test (${f.ci('specificMatch', {})}).`,
      );
  }
  const at = () => sameDirection.map((layer) => `${L(layer)} (${f.say('cosine distance', 'distance cosinus')} ${f.stat('cosine', { layer })})`).join(', ');
  const direction = sameDirection.length
    ? f.say(
        () => ` Their signatures point the same way at ${at()}.`,
        () => ` Leurs signatures pointent dans la même direction à ${at()}.`,
      )
    : '';
  const statement = `${own} ${test}${size}.${paths}${direction}`;
  return headline(r, 'signatures', 'ownPathShare', {}, labelOf('ownPathShare', f.lang), 'specific-overlap', statement, f);
}

/** A difference to three decimals, or four where three would print a signed zero ("-0.000"). */
const signed = (x: number, lang: Lang) => fixed(x, x.toFixed(3) === '-0.000' ? 4 : 3, lang);

interface Candidate {
  layer: string;
  score: ScoreName;
  auc: number;
}

/**
 * Paired difference of two candidates' mean AUCs over the same inputs and
 * seeds: within a seed, DeLong's variance of the difference; across seeds,
 * the seeds' spread. The input sampling is shared by all seeds, so its
 * standard errors are averaged (as if perfectly correlated: conservative)
 * before the seeds' variance of the mean is added.
 */
function pairedDifference(runs: SeedRun[], probe: number, a: Candidate, b: Candidate): { difference: number; interval: [number, number] } {
  const diffs: number[] = [];
  let inputSe = 0;
  for (const run of runs) {
    const cov = run.oodCovariance.find((c) => c.probe === probe)!;
    const ia = cov.candidates.findIndex((c) => c.layer === a.layer && c.score === a.score);
    const ib = cov.candidates.findIndex((c) => c.layer === b.layer && c.score === b.score);
    const auc = (layer: string, score: string) => run.layers.find((l) => l.name === layer)!.ood.find((o) => o.probe === probe && o.score === score)!.auc;
    diffs.push(auc(a.layer, a.score) - auc(b.layer, b.score));
    inputSe += Math.sqrt(Math.max(0, cov.matrix[ia][ia] + cov.matrix[ib][ib] - 2 * cov.matrix[ia][ib])) / runs.length;
  }
  const n = diffs.length;
  const difference = a.auc - b.auc;
  const seedVar = n >= 2 ? diffs.reduce((s, v) => s + (v - difference) ** 2, 0) / (n - 1) / n : 0;
  const se = Math.sqrt(inputSe ** 2 + seedVar);
  return { difference, interval: [difference - 1.959964 * se, difference + 1.959964 * se] };
}

export function unseenAnswer(r: Draft): Answer | null {
  const probeRun = r.runs[0].probes.find((p) => p.label >= 0) ?? r.runs[0].probes[0];
  if (!probeRun || probeRun.count === 0) return null;
  // The comparisons are numbers, the same in every language: computed once, printed in each.
  const comparisons: NonNullable<Answer['comparisons']> = [];
  const answer = inEveryLanguage((lang) => unseenIn(r, new Facts(r, lang), probeRun.label, comparisons, lang === 'en'));
  return { ...answer, comparisons };
}

function unseenIn(r: Draft, f: Facts, probe: number, comparisons: NonNullable<Answer['comparisons']>, record: boolean) {
  const layers = r.runs[0].layers.map((l) => l.name);
  const L = (name: string) => f.layer(name);
  const candidates: Candidate[] = layers
    .flatMap((layer) => SCORES.map((score) => ({ layer, score, auc: value(r, `auc:${score}`, { layer, probe })?.mean ?? NaN })))
    .filter((c) => Number.isFinite(c.auc));
  const ranked = [...candidates].sort((a, b) => b.auc - a.auc);
  const best = ranked[0];
  const name = nameOf(r.dataset.names, probe);
  const n = r.dataset.counts.filter((c) => c.split === 'probe' && c.label === probe).reduce((s, c) => s + c.count, 0);
  const predicted = r.spec.dataset.classes.map((c) => ({ c, share: value(r, 'predictedShare', { probe, class: c })!.mean }));
  const top = predicted.reduce((a, b) => (b.share > a.share ? b : a));
  const score = (c: Candidate) => SCORE_LABELS[c.score][f.lang];
  const label = (c: Candidate) =>
    `${score(c)}${c.score === 'knn' ? ` (k = ${f.num(r.spec.analysis.neighbours, 'spec.analysis.neighbours')})` : ''} ${f.say('at', 'à')} ${L(c.layer)}`;
  const auc = (c: Candidate) => f.stat(`auc:${c.score}`, { layer: c.layer, probe });

  let i = -1;
  const compare = (against: 'runner-up' | 'raw pixels' | 'runner-up, the raw pixels’ best', other: Candidate) => {
    const { difference, interval } = pairedDifference(r.runs, probe, best, other);
    i += 1;
    if (record) comparisons.push({ against, layer: other.layer, score: other.score, auc: other.auc, difference, interval, distinguishable: interval[0] > 0 });
    const src = (field: string) => `answers[unseen].comparisons[${i}].${field}`;
    const S = (x: number, field: string) => f.text(x, signed(x, f.lang), src(field));
    const d = () =>
      f.say(
        () => `paired difference ${S(difference, 'difference')}, 95 % CI ${S(interval[0], 'lo')}–${S(interval[1], 'hi')}`,
        () => `différence appariée ${S(difference, 'difference')}, IC à 95${NNBSP}% ${S(interval[0], 'lo')}–${S(interval[1], 'hi')}`,
      );
    const better = interval[0] > 0;
    return f.say(
      () =>
        `${better ? 'better than' : 'not distinguishable from'} ${against === 'raw pixels' ? "the raw pixels' best" : `the ${against}`}, the ${label(other)} (AUC ${auc(other)}; ${d()})`,
      () => {
        const who =
          against === 'raw pixels'
            ? 'le meilleur score des pixels bruts'
            : against === 'runner-up'
              ? 'le deuxième'
              : 'le deuxième, le meilleur des pixels bruts';
        return `${better ? `meilleure que ${who}` : `indiscernable ${who.replace(/^le /, 'du ')}`}, la ${label(other)} (AUC ${auc(other)}${SEMI} ${d()})`;
      },
    );
  };
  const K = () => f.num(candidates.length, `candidates[${probe}]`);
  let choice = f.say(
    () =>
      `Of the ${K()} layer × score pairs, the highest mean ROC AUC against the trained classes' test inputs is the ${label(best)}: ${auc(best)} (${f.ci(`auc:${best.score}`, { layer: best.layer, probe })}); a highest of many is biased upward.`,
    () =>
      `Parmi les ${K()} couples couche × score, l’AUC ROC moyenne la plus haute face aux entrées de test des classes entraînées est celle de la ${label(best)}${COLON} ${auc(best)} (${f.ci(`auc:${best.score}`, { layer: best.layer, probe })})${SEMI} retenir le plus haut de nombreux candidats biaise vers le haut.`,
  );
  const runnerUp = ranked[1];
  const rawBest = ranked.find((c) => c.layer === layers[0]);
  const parts: string[] = [];
  if (best.layer === layers[0])
    choice += f.say(
      ' It is on the raw pixels: no layer of the model has a higher mean AUC.',
      ` Elle porte sur les pixels bruts${COLON} aucune couche du modèle n’a d’AUC moyenne plus haute.`,
    );
  if (runnerUp) parts.push(compare(runnerUp === rawBest && best.layer !== layers[0] ? 'runner-up, the raw pixels’ best' : 'runner-up', runnerUp));
  if (best.layer !== layers[0] && rawBest && rawBest !== runnerUp) parts.push(compare('raw pixels', rawBest));
  if (parts.length) choice += f.say(` It is ${parts.join(', and ')}.`, ` Elle est ${parts.join(', et ')}.`);

  const baselines = (['auc:msp', 'auc:energy', 'auc:pathRarity'] as const).filter((id) => storedStat(r, id, { probe }));
  const baseList = () =>
    baselines
      .map((id) =>
        f.say(
          () => `${labelOf(id, 'en')} AUC ${f.stat(id, { probe })}`,
          () => `${labelOf(id, 'fr')}, AUC ${f.stat(id, { probe })}`,
        ),
      )
      .join(f.say(', ', `${SEMI} `));
  const baseText = baselines.length
    ? f.say(
        () => ` Baselines: ${baseList()}.`,
        () => ` Références${COLON} ${baseList()}.`,
      )
    : '';
  const hidden = r.runs[0].layers.filter((l) => l.kind === 'hidden').map((l) => l.name);
  const left = hidden.map((layer) => value(r, 'leftPaths', { layer, probe })?.mean ?? 0);
  const leaves = left.findIndex((v) => v > 0.5);
  const pathsText =
    leaves < 0
      ? f.say(
          () =>
            ` Their cluster paths mostly stay on routes of the trained classes: ${f.stat('seenPathShare', { probe })} of them take a whole cluster path that training inputs also took.`,
          () =>
            ` Leurs chemins de clusters restent surtout sur ceux des classes entraînées${COLON} ${f.stat('seenPathShare', { probe })} d’entre elles suivent un chemin de clusters complet qu’ont aussi pris des entrées d’entraînement.`,
        )
      : f.say(
          () =>
            ` Their cluster paths first leave the training routes at ${L(hidden[leaves])}, where ${f.stat('leftPaths', { layer: hidden[leaves], probe })} of them take a route no training input took.`,
          () =>
            ` Leurs chemins de clusters quittent pour la première fois ceux de l’entraînement à ${L(hidden[leaves])}, où ${f.stat('leftPaths', { layer: hidden[leaves], probe })} d’entre elles prennent un chemin qu’aucune entrée d’entraînement n’a pris.`,
        );
  const far = r.runs[0].probes.find((p) => p.label < 0);
  let farText = '';
  if (far) {
    const farBest = layers
      .flatMap((layer) => SCORES.map((s) => ({ layer, score: s, auc: value(r, `auc:${s}`, { layer, probe: far.label })?.mean ?? NaN })))
      .reduce((a, b) => (b.auc > a.auc ? b : a));
    const farName = nameOf(r.dataset.names, far.label);
    farText = f.say(
      () =>
        ` Far outliers (${farName}) are told apart at AUC ${f.stat(`auc:${farBest.score}`, { layer: farBest.layer, probe: far.label })} at best (${SCORE_LABELS[farBest.score].en} at ${L(farBest.layer)}).`,
      () =>
        ` Les entrées très éloignées (${farName}) sont distinguées avec une AUC de ${f.stat(`auc:${farBest.score}`, { layer: farBest.layer, probe: far.label })} au mieux (${SCORE_LABELS[farBest.score].fr} à ${L(farBest.layer)}).`,
    );
  }
  const opening = f.say(
    () =>
      `Shown ${f.num(n, `dataset.counts[probe|${probe}]`)} images of ${name}, an unseen class, the model calls ${f.stat('predictedShare', { probe, class: top.c })} of them ${nameOf(r.dataset.names, top.c)} (${f.ci('predictedShare', { probe, class: top.c })}). `,
    () =>
      `Face à ${f.num(n, `dataset.counts[probe|${probe}]`)} images de ${name}, une classe inconnue, le modèle en classe ${f.stat('predictedShare', { probe, class: top.c })} comme ${nameOf(r.dataset.names, top.c)} (${f.ci('predictedShare', { probe, class: top.c })}). `,
  );
  const statement = opening + choice + baseText + pathsText + farText;
  const unit = f.say(
    `ROC AUC, ${name} against the trained classes (${SCORE_LABELS[best.score].en})`,
    `AUC ROC, ${name} face aux classes entraînées (${SCORE_LABELS[best.score].fr})`,
  );
  return headline(r, 'unseen', `auc:${best.score}`, { layer: best.layer, probe }, unit, 'ood-auc', statement, f);
}
