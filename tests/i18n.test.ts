import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStat } from '../src/analysis/catalogue.ts';
import { GLOSSARY } from '../src/i18n/glossary.ts';
import { count, counterpart, fixed, langOfPath, localized, NNBSP, percent } from '../src/i18n/index.ts';
import { layerName } from '../src/i18n/layers.ts';
import { frenchSpaces, MissingTranslation, STRINGS, translate, translator } from '../src/i18n/strings.ts';
import { ExperimentSpec } from '../src/spec/schema.ts';

describe('the two languages', () => {
  it('format numbers for each locale: a decimal comma and narrow spaces in French', () => {
    expect(percent(0.98, 'en')).toBe('98.0 %');
    expect(percent(0.98, 'fr')).toBe(`98,0${NNBSP}%`);
    expect(fixed(0.9876, 3, 'fr')).toBe('0,988');
    expect(formatStat('auc:mahalanobis', 0.9891, 'fr')).toBe('0,989');
    expect(formatStat('probeAccuracy', 0.985, 'fr')).toBe(`98,5${NNBSP}%`);
    expect(count(12345, 'fr')).toBe(`12${NNBSP}345`);
    expect(count(12345, 'en')).toBe('12,345');
    expect(count(1000, 'fr')).toBe('1000');
  });

  it('fail the build on a missing translation, naming the key and the page', () => {
    const table = { 'x.only': { en: 'Only English' } };
    expect(() => translate(table, 'fr', 'x.only', '/fr/experiments/mnist-1-vs-7/')).toThrow(MissingTranslation);
    expect(() => translate(table, 'fr', 'x.only', '/fr/experiments/mnist-1-vs-7/')).toThrow(
      /\/fr\/experiments\/mnist-1-vs-7\/: the string "x\.only" has no French text/,
    );
    expect(() => translate(table, 'en', 'x.absent', '/')).toThrow(/"x\.absent" has no English text/);
    expect(translate(table, 'en', 'x.only', '/')).toBe('Only English');
  });

  it('give every interface string in both languages, each with the same slots', () => {
    for (const [key, entry] of Object.entries(STRINGS) as [string, { en: string; fr?: string }][]) {
      expect(entry.fr, key).toBeTruthy();
      const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(slots(entry.fr!), key).toEqual(slots(entry.en));
    }
    const t = translator('fr', '/fr/');
    expect(t('exp.epochs', { n: 10 })).toBe('10 époques');
    expect(t('home.none', { command: 'x' })).toContain('résultat\u00A0: lancez x');
  });

  it('typeset French: no-break spaces before the high signs and inside guillemets', () => {
    expect(frenchSpaces('Question : « oui » ; non ? 5 %')).toBe(`Question\u00A0: «\u00A0oui\u00A0»${NNBSP}; non${NNBSP}? 5${NNBSP}%`);
  });

  it('map each page to its counterpart, under a base too', () => {
    expect(counterpart('/experiments/mnist-1-vs-7/', 'fr')).toBe('/fr/experiments/mnist-1-vs-7/');
    expect(counterpart('/fr/experiments/mnist-1-vs-7/', 'en')).toBe('/experiments/mnist-1-vs-7/');
    expect(counterpart('/fr/', 'en')).toBe('/');
    expect(counterpart('/chemins/figures/', 'fr', '/chemins/')).toBe('/chemins/fr/figures/');
    expect(langOfPath('/chemins/fr/report/', '/chemins/')).toBe('fr');
    expect(langOfPath('/chemins/french/', '/chemins/')).toBe('en');
  });

  it('name layers in French words, with the article a sentence needs', () => {
    expect(layerName('hidden2', 'fr')).toBe('cachée 2');
    expect(layerName('hidden2', 'fr', true)).toBe('la couche cachée 2');
    expect(layerName('input', 'fr', true)).toBe('l’entrée');
    expect(layerName('hidden2', 'en')).toBe('hidden2');
  });

  it('let an experiment give its title and description per language, one string serving both', () => {
    const base = { dataset: { classes: [1, 7] } };
    const one = ExperimentSpec.parse({ ...base, title: 'Same' });
    expect(localized(one.title, 'fr')).toBe('Same');
    const two = ExperimentSpec.parse({ ...base, title: { en: 'One vs seven', fr: 'Un contre sept' }, description: { en: 'Text' } });
    expect(localized(two.title, 'fr')).toBe('Un contre sept');
    expect(localized(two.description, 'fr')).toBe('Text');
    expect(ExperimentSpec.safeParse({ ...base, title: { de: 'Eins' } }).success).toBe(false);
  });

  it('define each term of the vocabulary once, in both languages', () => {
    const ids = GLOSSARY.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of GLOSSARY) for (const lang of ['en', 'fr'] as const) expect(g.term[lang] && g.definition[lang], `${g.id} ${lang}`).toBeTruthy();
    expect(GLOSSARY.find((g) => g.id === 'linear-probe')!.term.fr).toBe('sonde linéaire');
    expect(GLOSSARY.find((g) => g.id === 'unseen-class')!.term.fr).toBe('classe inconnue');
  });

  it('mirror every page of the site under /fr/', () => {
    const pages = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? pages(p) : [relative('src/pages', p)];
      });
    const all = pages('src/pages');
    // Data files (results, per-input exports, KaTeX assets) are the same in both languages: they stay at the root.
    const data = /^(experiments\/\[id\]\/(result\.json|inputs)|katex\/)/;
    const english = all.filter((p) => !p.startsWith('fr/') && !data.test(p));
    const french = new Set(all.filter((p) => p.startsWith('fr/')).map((p) => p.slice(3)));
    expect(english.filter((p) => !french.has(p))).toEqual([]);
  });
});
