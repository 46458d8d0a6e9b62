import type { Text } from './index.ts';
import { frenchSpaces } from './strings.ts';

// The report's vocabulary: one term per idea in each language, used with that
// one meaning on every page, and defined once here. The glossary page lists
// these; <Term id="…" /> prints a term and links its first use on a page here.
// `code` names what the experiment files and results call it, where that differs.

export interface GlossaryEntry {
  id: string;
  term: Text;
  definition: Text;
  code?: string;
}

export const GLOSSARY: GlossaryEntry[] = [
  {
    id: 'activation',
    term: { en: 'activation', fr: 'activation' },
    definition: {
      en: 'The output of a layer for one input: one number per neuron (for a convolutional layer, per channel, averaged over the image, or its principal components).',
      fr: 'La sortie d’une couche pour une entrée : un nombre par neurone (pour une couche de convolution, par canal, moyenné sur l’image, ou ses composantes principales).',
    },
  },
  {
    id: 'cluster',
    term: { en: 'cluster', fr: 'cluster' },
    definition: {
      en: 'One of the k groups into which k-means divides a layer’s activations. An input’s cluster at a layer is the group its activation falls in; c0 is the largest among the training inputs.',
      fr: 'L’un des k groupes en lesquels k-means divise les activations d’une couche. Le cluster d’une entrée à une couche est le groupe où tombe son activation ; c0 est le plus grand parmi les entrées d’entraînement.',
    },
    code: 'signatures.k',
  },
  {
    id: 'cluster-path',
    term: { en: 'cluster path', fr: 'chemin de clusters' },
    definition: {
      en: 'The sequence of an input’s clusters through the hidden layers, e.g. hidden1:c0 → hidden2:c3 → hidden3:c1. A class’s cluster paths are those its inputs take; an unseen input may take a cluster path no training input took.',
      fr: 'La suite des clusters d’une entrée à travers les couches cachées, par exemple cachée 1 : c0 → cachée 2 : c3 → cachée 3 : c1. Les chemins de clusters d’une classe sont ceux que prennent ses entrées ; une entrée inconnue peut prendre un chemin de clusters qu’aucune entrée d’entraînement n’a pris.',
    },
    code: 'paths',
  },
  {
    id: 'signature',
    term: { en: 'signature', fr: 'signature' },
    definition: {
      en: 'A class’s mean activation at a layer, over its inputs: one vector per class and layer. Two classes’ signatures are compared by their distance (in within-class spreads), their cosine distance and a permutation test.',
      fr: 'L’activation moyenne d’une classe à une couche, sur ses entrées : un vecteur par classe et par couche. Les signatures de deux classes se comparent par leur distance (en dispersions intra-classe), leur distance cosinus et un test de permutation.',
    },
  },
  {
    id: 'specific-path',
    term: { en: 'specific path', fr: 'chemin spécifique' },
    definition: {
      en: 'A set of neurons, not a sequence of clusters: per layer, the fewest neurons that carry a share (analysis.coverage) of a class’s contribution to the next layer, the contribution of a neuron being its mean |activation| × its outgoing weight, after the effective path of Qiu et al. (2019).',
      fr: 'Un ensemble de neurones, non une suite de clusters : par couche, le moins de neurones portant une part (analysis.coverage) de la contribution d’une classe à la couche suivante, la contribution d’un neurone étant son |activation| moyenne × son poids sortant, d’après le chemin effectif de Qiu et al. (2019).',
    },
  },
  {
    id: 'linear-probe',
    term: { en: 'linear probe', fr: 'sonde linéaire' },
    definition: {
      en: 'A linear classifier (L2-regularised logistic regression) fitted on a layer’s activations of the training inputs and scored on the test inputs: how linearly separable the classes are at that layer (Alain and Bengio, 2016).',
      fr: 'Un classifieur linéaire (régression logistique régularisée L2) ajusté sur les activations d’une couche pour les entrées d’entraînement et évalué sur les entrées de test : à quel point les classes sont linéairement séparables à cette couche (Alain et Bengio, 2016).',
    },
  },
  {
    id: 'unseen-class',
    term: { en: 'unseen class', fr: 'classe inconnue' },
    definition: {
      en: 'A class the model is never trained on (the 3 of the original study), shown to it after training to see where its inputs go. Its inputs are unseen inputs. Far outliers are unseen inputs from another dataset (Fashion-MNIST).',
      fr: 'Une classe sur laquelle le modèle n’est jamais entraîné (le 3 de l’étude d’origine), qu’on lui montre après l’entraînement pour voir où vont ses entrées. Ses entrées sont des entrées inconnues. Les entrées très éloignées sont des entrées inconnues venues d’un autre jeu de données (Fashion-MNIST).',
    },
    code: 'dataset.probes',
  },
  {
    id: 'knn',
    term: { en: 'k-NN', fr: 'k-PPV' },
    definition: {
      en: 'k nearest neighbours. The k-NN classifier labels a test input by the majority of its k nearest training inputs; the k-th nearest-neighbour distance (Deep k-NN, Sun et al. 2022) scores how far an input lies from the training data.',
      fr: 'k plus proches voisins. Le classifieur k-PPV donne à une entrée de test la classe majoritaire de ses k entrées d’entraînement les plus proches ; la distance au k-ième plus proche voisin (Deep k-NN, Sun et al. 2022) mesure à quel point une entrée est loin des données d’entraînement.',
    },
    code: 'knn',
  },
  {
    id: 'mahalanobis',
    term: { en: 'Mahalanobis distance', fr: 'distance de Mahalanobis' },
    definition: {
      en: 'The distance from an input’s activation to the nearest class mean, measured in the units of the classes’ shared covariance (Ledoit–Wolf shrunk). The relative Mahalanobis distance subtracts the distance to the mean of all training inputs (Ren et al. 2021).',
      fr: 'La distance de l’activation d’une entrée à la moyenne de classe la plus proche, mesurée dans les unités de la covariance commune des classes (rétrécie par Ledoit–Wolf). La distance de Mahalanobis relative retranche la distance à la moyenne de toutes les entrées d’entraînement (Ren et al. 2021).',
    },
    code: 'mahalanobis, relative-mahalanobis',
  },
  {
    id: 'auc',
    term: { en: 'ROC AUC', fr: 'AUC ROC' },
    definition: {
      en: 'The area under the ROC curve: the chance that a score ranks a random unseen input above a random test input of a trained class. 0.5 is chance, 1 a perfect separation.',
      fr: 'L’aire sous la courbe ROC : la probabilité qu’un score classe une entrée inconnue tirée au hasard au-dessus d’une entrée de test d’une classe entraînée tirée au hasard. 0,5 est le hasard, 1 une séparation parfaite.',
    },
  },
  {
    id: 'nmi',
    term: { en: 'NMI', fr: 'NMI' },
    definition: {
      en: 'Normalised mutual information between the clusters and the labels (0 = independent, 1 = the same partition). It is low when a class is split over two pure clusters.',
      fr: 'Information mutuelle normalisée entre les clusters et les étiquettes (0 = indépendants, 1 = la même partition). Elle est basse quand une classe se partage entre deux clusters purs.',
    },
  },
  {
    id: 'ari',
    term: { en: 'ARI', fr: 'ARI' },
    definition: {
      en: 'Adjusted Rand index: how often two partitions (clusters and labels, or two seeds’ clusters) put a pair of inputs together or apart, corrected for chance (0 = chance, 1 = identical).',
      fr: 'Indice de Rand ajusté : à quelle fréquence deux partitions (clusters et étiquettes, ou les clusters de deux graines) mettent une paire d’entrées ensemble ou à part, corrigé du hasard (0 = hasard, 1 = identiques).',
    },
  },
  {
    id: 'cka',
    term: { en: 'CKA', fr: 'CKA' },
    definition: {
      en: 'Linear centred kernel alignment (Kornblith et al. 2019): how alike two layers represent the same inputs, up to rotation and scale (0 = nothing shared, 1 = the same geometry).',
      fr: 'Alignement de noyaux centrés linéaire (Kornblith et al. 2019) : à quel point deux couches représentent les mêmes entrées de façon semblable, à une rotation et une échelle près (0 = rien de commun, 1 = la même géométrie).',
    },
  },
  {
    id: 'seed',
    term: { en: 'seed', fr: 'graine' },
    definition: {
      en: 'The number that fixes a model’s random start and batch order. Each experiment trains one model per seed; an answer is their mean with a 95 % interval.',
      fr: 'Le nombre qui fixe le départ aléatoire d’un modèle et l’ordre de ses lots. Chaque expérience entraîne un modèle par graine ; une réponse est leur moyenne avec un intervalle à 95 %.',
    },
  },
];

/** French definitions typeset with French spaces. */
for (const e of GLOSSARY) {
  e.term.fr = frenchSpaces(e.term.fr);
  e.definition.fr = frenchSpaces(e.definition.fr);
}

export const glossaryEntry = (id: string): GlossaryEntry => {
  const e = GLOSSARY.find((g) => g.id === id);
  if (!e) throw new Error(`[UnknownTerm] no glossary entry "${id}" (src/i18n/glossary.ts)`);
  return e;
};
