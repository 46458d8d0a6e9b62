import type { Lang } from './index.ts';

// Every interface string of the site, in both languages, by key. A key that
// lacks a language fails the build, naming the key and the page
// (`MissingTranslation`); `{name}` marks where a value goes.

type Entry = { en: string; fr?: string };

export const STRINGS = {
  // The site's frame.
  'site.tagline': {
    en: 'Chemins: which paths through its hidden layers a deep network gives each input.',
    fr: 'Chemins : les chemins qu’un réseau profond donne à chaque entrée à travers ses couches cachées.',
  },
  'nav.label': { en: 'Site', fr: 'Site' },
  'nav.experiments': { en: 'Experiments', fr: 'Expériences' },
  'nav.report': { en: 'Report', fr: 'Rapport' },
  'nav.figures': { en: 'Figures', fr: 'Figures' },
  'nav.glossary': { en: 'Glossary', fr: 'Glossaire' },
  'nav.language': { en: 'Language', fr: 'Langue' },
  'nav.switch': { en: 'Lire en français', fr: 'Read in English' },
  'footer.text': {
    en: 'Built by Chemins from experiment files and their stored results. Every number and figure on this site is computed, none typed in.',
    fr: 'Construit par Chemins à partir des fichiers d’expérience et de leurs résultats stockés. Chaque nombre et chaque figure de ce site est calculé, aucun n’est saisi à la main.',
  },
  // Home.
  'home.title': { en: 'Experiments', fr: 'Expériences' },
  'home.lede': {
    en: 'Which path through its hidden layers does a deep network give each input, and what do those paths tell us? Each experiment below trains a network, clusters every hidden layer’s activations, follows each input’s cluster path from layer to layer, and answers three questions with numbers, intervals and figures computed from its stored result.',
    fr: 'Quel chemin un réseau profond donne-t-il à chaque entrée à travers ses couches cachées, et que nous apprennent ces chemins ? Chaque expérience ci-dessous entraîne un réseau, regroupe en clusters les activations de chaque couche cachée, suit le chemin de clusters de chaque entrée de couche en couche, et répond à trois questions par des nombres, des intervalles et des figures calculés à partir de son résultat stocké.',
  },
  'home.writeup': { en: 'The write-up: {link}.', fr: 'La synthèse : {link}.' },
  'home.writeupLink': { en: 'the report', fr: 'le rapport' },
  'home.original': { en: 'The original study', fr: 'L’étude d’origine' },
  'home.none': { en: 'No experiment has a result yet: run {command}.', fr: 'Aucune expérience n’a encore de résultat : lancez {command}.' },
  'home.failures': { en: 'Experiments that did not build', fr: 'Expériences non construites' },
  'home.notBuilt': { en: 'Not built', fr: 'Non construites' },
  'q.short.separation': { en: 'Q1 · Where are the classes separated?', fr: 'Q1 · Où les classes sont-elles séparées ?' },
  'q.short.signatures': { en: 'Q2 · Do the classes take different paths?', fr: 'Q2 · Les classes prennent-elles des chemins différents ?' },
  'q.short.unseen': { en: 'Q3 · How does an unseen class look?', fr: 'Q3 · À quoi ressemble une classe inconnue ?' },
  // The three questions, in full.
  'q.n.separation': { en: 'Question 1', fr: 'Question 1' },
  'q.n.signatures': { en: 'Question 2', fr: 'Question 2' },
  'q.n.unseen': { en: 'Question 3', fr: 'Question 3' },
  'q.separation': { en: 'From which layer does the model separate the classes?', fr: 'À partir de quelle couche le modèle sépare-t-il les classes ?' },
  'q.signatures': {
    en: 'Are the signatures of one class different from another’s?',
    fr: 'Les signatures d’une classe diffèrent-elles de celles d’une autre ?',
  },
  'q.unseen': { en: 'What does the signature of an unseen class look like?', fr: 'À quoi ressemble la signature d’une classe inconnue ?' },
  'answers.label': { en: 'Answers to the three questions', fr: 'Réponses aux trois questions' },
  'answers.at': { en: 'at {layer} · ', fr: 'à {layer} · ' },
  'answers.perSeed': { en: ' · per seed: {values}', fr: ' · par graine : {values}' },
  'answers.seeFigure': { en: 'See Figure {n}, which draws this number', fr: 'Voir la figure {n}, qui trace ce nombre' },
  'answers.seeTable': { en: 'See the table that lists it', fr: 'Voir le tableau qui le donne' },
  'interval.none': { en: 'no interval', fr: 'sans intervalle' },
  'interval.ci': { en: '95 % CI {lo}–{hi} ({how})', fr: 'IC à 95 % {lo}–{hi} ({how})' },
  // The experiment page.
  'exp.toc': { en: 'On this page', fr: 'Sur cette page' },
  'exp.figure': { en: 'Figure {n}.', fr: 'Figure {n}.' },
  'exp.data': { en: 'The data', fr: 'Les données' },
  'exp.training': { en: 'Training', fr: 'Entraînement' },
  'exp.separation': { en: '1 · From which layer are the classes separated?', fr: '1 · À partir de quelle couche les classes sont-elles séparées ?' },
  'exp.signatures': { en: '2 · Do the classes take different paths?', fr: '2 · Les classes prennent-elles des chemins différents ?' },
  'exp.unseen': { en: '3 · What does an unseen class look like?', fr: '3 · À quoi ressemble une classe inconnue ?' },
  'exp.seeds': { en: 'Across seeds', fr: 'D’une graine à l’autre' },
  'exp.reproduce': { en: 'Reproduce', fr: 'Reproduire' },
  'exp.references': { en: 'References', fr: 'Références' },
  'exp.layerByLayer': { en: 'Layer by layer', fr: 'Couche par couche' },
  'exp.pathsTrained': { en: 'The most common cluster paths of the trained classes', fr: 'Les chemins de clusters les plus fréquents des classes entraînées' },
  'exp.pathsUnseen': { en: 'The most common cluster paths of the unseen classes', fr: 'Les chemins de clusters les plus fréquents des classes inconnues' },
  'exp.explore': { en: 'Explore every input', fr: 'Explorer chaque entrée' },
  'exp.exploreCta': {
    en: '{explore}: its cluster path, clusters and nearest training inputs, in linked views (the one page of this site that runs a script). All of it is in {csv}.',
    fr: '{explore} : son chemin de clusters, ses clusters et ses plus proches entrées d’entraînement, en vues liées (la seule page de ce site qui exécute un script). Tout est dans {csv}.',
  },
  'exp.meta.everyInput': { en: 'Every input', fr: 'Chaque entrée' },
  'exp.meta.csvNote': { en: '(one row per input and seed)', fr: '(une ligne par entrée et par graine)' },
  'exp.meta.pngNote': {
    en: '(their images, 100 to a line, in the order of each seed’s rows)',
    fr: '(leurs images, 100 par ligne, dans l’ordre des lignes de chaque graine)',
  },
  'exp.meta.explorer': { en: 'explorer', fr: 'explorateur' },
  'exp.trainedOn': { en: 'Trained on classes {classes} of {data}; {probed}.', fr: 'Entraîné sur les classes {classes} {data} ; {probed}.' },
  'exp.embedded': { en: 'the embedded MNIST digits', fr: 'des chiffres MNIST embarqués' },
  'exp.idxFiles': { en: 'the IDX files of', fr: 'des fichiers IDX de' },
  'exp.probedWith': { en: 'shown the unseen classes {names}', fr: 'classes inconnues montrées : {names}' },
  'exp.noUnseen': { en: 'no unseen class', fr: 'aucune classe inconnue' },
  'exp.cnn': { en: 'A CNN', fr: 'Un CNN' },
  'exp.mlp': { en: 'An MLP', fr: 'Un MLP' },
  'exp.epochs': { en: '{n} epochs', fr: '{n} époques' },
  'exp.seedsMany': { en: '{n} models, one per seed ({seeds})', fr: '{n} modèles, un par graine ({seeds})' },
  'exp.seedsOne': { en: 'one model (seed {seed})', fr: 'un modèle (graine {seed})' },
  'exp.fused': { en: 'by Chemins’ fused MLP kernel', fr: 'par le noyau MLP fusionné de Chemins' },
  'exp.tfjs': { en: 'by TF.js on the {engine} engine', fr: 'par TF.js sur le moteur {engine}' },
  'exp.speed': { en: 'at {n} samples per second. Test accuracy: {acc}', fr: 'à {n} exemples par seconde. Exactitude en test : {acc}' },
  'exp.methods.separation': {
    en: 'Each layer’s activations are clustered by k-means (k-means++ starts {c1}) and read against the labels by purity, {nmi} {c2} and {ari} {c3}, and by the silhouette {c4}; a {probe} {c5} and a {knn} classifier measure how separable the classes are, {cka} {c6} how alike two layers are, and PCA and UMAP {c7} draw each layer in two dimensions.',
    fr: 'Les activations de chaque couche sont regroupées par k-means (départs k-means++ {c1}) et confrontées aux étiquettes par la pureté, la {nmi} {c2} et l’{ari} {c3}, et par la silhouette {c4} ; une {probe} {c5} et un classifieur {knn} mesurent à quel point les classes sont séparables, le {cka} {c6} à quel point deux couches se ressemblent, et l’ACP et UMAP {c7} dessinent chaque couche en deux dimensions.',
  },
  'exp.methods.signatures': {
    en: 'An input’s {path} is the sequence of its {cluster}s through the hidden layers, as in PathFinder {c1} and cluster paths {c2}; a class’s {signature} is its mean activation at a layer, and its {specific} the fewest neurons carrying most of its contribution to the next layer, after the effective path of {c3}.',
    fr: 'Le {path} d’une entrée est la suite de ses {cluster}s à travers les couches cachées, comme dans PathFinder {c1} et les chemins de clusters {c2} ; la {signature} d’une classe est son activation moyenne à une couche, et son {specific} le moins de neurones portant l’essentiel de sa contribution à la couche suivante, d’après le chemin effectif de {c3}.',
  },
  'exp.methods.unseen': {
    en: 'The inputs of each {unseen} are told apart from the trained classes, layer by layer, by the {maha} {c1} under a Ledoit–Wolf covariance {c2}, its relative form {c3}, the {knnd} {c4} and the nearest centroid, beside the energy score {c5} and the maximum softmax probability {c6}; ROC AUCs are compared with DeLong’s covariance {c7}.',
    fr: 'Les entrées de chaque {unseen} sont distinguées des classes entraînées, couche par couche, par la {maha} {c1} sous une covariance de Ledoit–Wolf {c2}, sa forme relative {c3}, la {knnd} {c4} et le centroïde le plus proche, à côté du score d’énergie {c5} et de la probabilité softmax maximale {c6} ; les AUC ROC sont comparées avec la covariance de DeLong {c7}.',
  },
  'exp.meta.file': { en: 'Experiment file', fr: 'Fichier d’expérience' },
  'exp.meta.hash': { en: 'Result hash', fr: 'Empreinte du résultat' },
  'exp.meta.engine': { en: 'Engine', fr: 'Moteur' },
  'exp.meta.loop': { en: 'Training loop', fr: 'Boucle d’entraînement' },
  'exp.meta.seeded': { en: 'Seeded', fr: 'Graines' },
  'exp.meta.versions': { en: 'Versions', fr: 'Versions' },
  'exp.meta.dataset': { en: 'Dataset', fr: 'Jeu de données' },
  'exp.meta.computed': { en: 'Computed', fr: 'Calculé' },
  'exp.meta.result': { en: 'Result', fr: 'Résultat' },
  'exp.meta.in': { en: 'in', fr: 'en' },
  'exp.specTitle': { en: 'The experiment, with every default filled in', fr: 'L’expérience, avec toutes les valeurs par défaut' },
  'exp.notBuilt': { en: '{id}: not built', fr: '{id} : non construite' },
  // Figures.
  'fig.download': { en: 'Download:', fr: 'Télécharger :' },
  'fig.pdfTitle': { en: 'Vector PDF, for LaTeX', fr: 'PDF vectoriel, pour LaTeX' },
  'fig.pngTitle': { en: 'PNG at 300 dpi, for print', fr: 'PNG à 300 dpi, pour l’impression' },
  'fig.data': { en: 'data (CSV)', fr: 'données (CSV)' },
  'fig.cite': { en: 'Cite:', fr: 'Citer :' },
  'fig.bibTitle': { en: 'BibTeX entry', fr: 'Entrée BibTeX' },
  'fig.text': { en: 'text', fr: 'texte' },
  'fig.textTitle': { en: 'Plain-text citation', fr: 'Citation en texte brut' },
  'fig.exploreInputs': { en: 'Explore these inputs', fr: 'Explorer ces entrées' },
  'fig.source': { en: 'From {link}, where it is Figure {n}.', fr: 'Tirée de {link}, où elle est la figure {n}.' },
  'fig.ref': { en: 'Figure {n} of {title}', fr: 'figure {n} de {title}' },
  'fig.here': { en: 'Figure {n}', fr: 'figure {n}' },
  'index.title': { en: 'Figures', fr: 'Figures' },
  'index.titleOf': { en: 'Figures of {title}', fr: 'Figures de {title}' },
  'index.description': {
    en: 'Every figure of every Chemins experiment, with its id, downloads (SVG, PDF and PNG for print, data as CSV) and how to cite it.',
    fr: 'Chaque figure de chaque expérience de Chemins, avec son identifiant, ses téléchargements (SVG, PDF et PNG pour l’impression, données en CSV) et la façon de la citer.',
  },
  'index.filter': { en: 'Show the figures of', fr: 'Afficher les figures de' },
  'index.all': { en: 'All experiments', fr: 'Toutes les expériences' },
  'index.lede': {
    en: '{n} figures from {m} {experiments}. Each has a stable id ({code}), a vector SVG and PDF (for LaTeX), a PNG at 300 dpi for print, its data as CSV, and a citation with the commit the site was built from.',
    fr: '{n} figures de {m} {experiments}. Chacune a un identifiant stable ({code}), un SVG et un PDF vectoriels (pour LaTeX), un PNG à 300 dpi pour l’impression, ses données en CSV, et une citation avec le commit à partir duquel le site a été construit.',
  },
  'index.experiment': { en: 'experiment', fr: 'expérience' },
  'index.experiments': { en: 'experiments', fr: 'expériences' },
  // Tables.
  'table.layer': { en: 'Layer', fr: 'Couche' },
  'table.units': { en: 'Units', fr: 'Unités' },
  'table.class': { en: 'Class', fr: 'Classe' },
  'table.path': { en: 'Cluster path', fr: 'Chemin de clusters' },
  'table.inputs': { en: 'Inputs', fr: 'Entrées' },
  'table.share': { en: 'Share of class', fr: 'Part de la classe' },
  'table.seenInTraining': { en: 'Training inputs on it', fr: 'Entrées d’entraînement sur ce chemin' },
  'table.example': { en: 'Example', fr: 'Exemple' },
  'table.distinct': { en: '{name} ({n} distinct cluster paths)', fr: '{name} ({n} chemins de clusters distincts)' },
  'table.pathsCaption': { en: 'Most common cluster paths per class{seed}', fr: 'Chemins de clusters les plus fréquents par classe{seed}' },
  'table.exampleAlt': { en: 'an input of class {name} on this cluster path', fr: 'une entrée de la classe {name} sur ce chemin de clusters' },
  'table.layerCaption': {
    en: 'Per layer: linear-probe and {k}-NN test accuracy, agreement of the k-means clusters with the labels (NMI at k = {classes} and at the layer’s k, ARI, purity on the test split), and the silhouette of the activations grouped by label{seeds}; below each value its 95 % interval, the same one the figures draw ({how}; — where there is none).',
    fr: 'Par couche : exactitude en test de la sonde linéaire et des {k}-PPV, accord des clusters k-means avec les étiquettes (NMI à k = {classes} et au k de la couche, ARI, pureté sur la partition de test), et silhouette des activations groupées par étiquette{seeds} ; sous chaque valeur son intervalle à 95 %, celui que tracent les figures ({how} ; — là où il n’y en a pas).',
  },
  'table.meanOver': { en: '; mean over {n} seeds', fr: ' ; moyenne sur {n} graines' },
  'table.howMany': {
    en: 'jackknife over seeds; Wilson over test inputs for accuracies on the raw input, which every seed shares',
    fr: 'jackknife sur les graines ; Wilson sur les entrées de test pour les exactitudes sur l’entrée brute, que toutes les graines partagent',
  },
  'table.howOne': { en: 'Wilson over test inputs for accuracies', fr: 'Wilson sur les entrées de test pour les exactitudes' },
  'table.answersCaption': {
    en: 'The three answers of each experiment: the layer named, the value and its 95 % interval (over seeds when there are several), from each stored result. “≈” lists the layers whose best score question 3 cannot tell from the highest, paired over the same inputs and seeds.',
    fr: 'Les trois réponses de chaque expérience : la couche nommée, la valeur et son intervalle à 95 % (sur les graines quand il y en a plusieurs), tirées de chaque résultat stocké. « ≈ » liste les couches dont la question 3 ne peut distinguer le meilleur score du plus haut, par appariement sur les mêmes entrées et graines.',
  },
  'table.experiment': { en: 'Experiment', fr: 'Expérience' },
  'table.seeds': { en: 'Seeds', fr: 'Graines' },
  'table.q1': { en: 'Q1 · separated from', fr: 'Q1 · séparées dès' },
  'table.q2': { en: 'Q2 · inputs on their own class’s cluster path', fr: 'Q2 · entrées sur un chemin de clusters de leur classe' },
  'table.q3': { en: 'Q3 · unseen inputs told apart (ROC AUC)', fr: 'Q3 · entrées inconnues distinguées (AUC ROC)' },
  'table.noLayer': { en: 'no layer (best: {layer})', fr: 'aucune couche (meilleure : {layer})' },
  // Failures.
  'fail.invalid': { en: 'Invalid experiment file', fr: 'Fichier d’expérience invalide' },
  'fail.failed': { en: 'Run failed', fr: 'Échec du calcul' },
  'fail.needs-data': { en: 'Needs data', fr: 'Données manquantes' },
  'fail.missing': { en: 'Not built yet', fr: 'Pas encore construite' },
  'fail.stale': { en: 'Out of date', fr: 'Périmée' },
  'fail.cli': { en: 'What the command line reports:', fr: 'Ce qu’indique la ligne de commande (en anglais) :' },
  'fail.notBuiltBlock': { en: '{link} is not built: its figure cannot be shown.', fr: '{link} n’est pas construite : sa figure ne peut être montrée.' },
  'fail.notBuiltInline': { en: '{id}: not built', fr: '{id} : non construite' },
  // Citations.
  'cite.label': { en: 'How to cite this page', fr: 'Comment citer cette page' },
  'cite.title': { en: 'Cite this page.', fr: 'Citer cette page.' },
  'refs.title': { en: 'References', fr: 'Références' },
  // The glossary.
  'glossary.title': { en: 'Glossary', fr: 'Glossaire' },
  'glossary.description': { en: 'The words of this report, each with one meaning.', fr: 'Les mots de ce rapport, chacun avec un seul sens.' },
  'glossary.lede': {
    en: 'One word per idea, used with that one meaning on every page. A term’s first use on a page links here.',
    fr: 'Un mot par idée, employé avec ce seul sens sur chaque page. La première occurrence d’un terme sur une page renvoie ici.',
  },
  'glossary.code': { en: 'In experiment files and results', fr: 'Dans les fichiers d’expérience et les résultats' },
} as const satisfies Record<string, Entry>;

export type StringKey = keyof typeof STRINGS;

/** A key without a text in a language: the build stops, naming the key and the page. */
export class MissingTranslation extends Error {
  constructor(key: string, lang: Lang, page: string) {
    super(
      `[MissingTranslation] ${page}: the string "${key}" has no ${lang === 'fr' ? 'French' : 'English'} text.\n  Hint: add its ${lang} text to src/i18n/strings.ts.`,
    );
    this.name = 'MissingTranslation';
  }
}

/** The text of a key in a language, its `{name}` slots filled. */
export function translate(table: Record<string, Entry>, lang: Lang, key: string, page: string, values: Record<string, string | number> = {}): string {
  const entry = table[key];
  const text = entry?.[lang];
  if (text === undefined) throw new MissingTranslation(key, lang, page);
  const typeset = lang === 'fr' ? frenchSpaces(text) : text;
  return typeset.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}

/** French typography: a no-break space before « : » and inside guillemets, a narrow one before ; ? ! and %. */
export function frenchSpaces(text: string): string {
  return text
    .replace(/ :/g, '\u00A0:')
    .replace(/ ([;?!%])/g, '\u202F$1')
    .replace(/« /g, '«\u00A0')
    .replace(/ »/g, '\u00A0»');
}

/** A page's translator: `t('nav.report')`, `t('exp.epochs', { n: 10 })`. */
export function translator(lang: Lang, page: string) {
  return (key: StringKey, values?: Record<string, string | number>) => translate(STRINGS, lang, key, page, values);
}
