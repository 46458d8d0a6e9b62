import type { Lang } from './index.ts';

// A layer's name as a reader sees it. The model names its layers `input`,
// `hidden1`…, `conv1`…, `output` (the ids of results, CSVs and experiment
// files, and the English labels); French shows them in words: « entrée »,
// « cachée 1 », « conv. 1 », « sortie ». With `article`, as a sentence
// needs it after « à » or « dès »: « l’entrée », « la couche cachée 1 ».

export function layerName(name: string, lang: Lang, article = false): string {
  if (lang === 'en') return name;
  const hidden = /^hidden(\d+)$/.exec(name);
  const conv = /^conv(\d+)$/.exec(name);
  if (name === 'input') return article ? 'l’entrée' : 'entrée';
  if (name === 'output') return article ? 'la sortie' : 'sortie';
  if (hidden) return article ? `la couche cachée ${hidden[1]}` : `cachée ${hidden[1]}`;
  if (conv) return article ? `la couche conv. ${conv[1]}` : `conv. ${conv[1]}`;
  return article ? `la couche ${name}` : name;
}
