import { figuresFor } from '../figures/index.ts';
import type { FigureDef } from '../figures/types.ts';
import { type Lang, langBase, localized } from '../i18n/index.ts';
import type { Result } from '../results/schema.ts';
import { buildCommit, buildDate, citableSite } from './build-info.ts';
import { figurePath, type Citation } from './cite.ts';
import { citationFile } from './citation-file.ts';

// What this build cites, filled in: the authors and the report's title from
// CITATION.cff, the site's address (Astro's `site`), the date and the commit.

function common(site: URL | undefined) {
  const file = citationFile();
  return { authors: file.authors, site: citableSite(site), date: buildDate(), commit: buildCommit(), report: file.title };
}

const slash = (base: string) => base.replace(/\/?$/, '/');

/** A figure, as numbered on its experiment's page. */
export function figureCitation(result: Result, def: FigureDef, site: URL | undefined, base: string, lang: Lang = 'en'): Citation {
  const c = common(site);
  const id = `${result.id}/${def.name}`;
  return {
    id,
    title: `Figure ${figuresFor(result).indexOf(def) + 1}${lang === 'fr' ? '\u00A0:' : ':'} ${def.title[lang]}`,
    within: [localized(result.spec.title, lang), c.report],
    authors: c.authors,
    path: figurePath({ id, experimentId: result.id, base: langBase(lang, base) }),
    site: c.site,
    date: c.date,
    commit: c.commit,
    note: lang === 'fr' ? `identifiant de figure ${id}` : `figure id ${id}`,
    lang,
  };
}

/** An experiment's page: its answers, figures and tables. */
export function experimentCitation(result: Result, site: URL | undefined, base: string, lang: Lang = 'en'): Citation {
  const c = common(site);
  return {
    id: result.id,
    title: localized(result.spec.title, lang),
    within: [c.report],
    authors: c.authors,
    path: `${langBase(lang, slash(base))}experiments/${result.id}/`,
    site: c.site,
    date: c.date,
    commit: c.commit,
    lang,
    note: lang === 'fr' ? `expérience ${result.id}, résultat ${result.hash.slice(0, 12)}` : `experiment ${result.id}, result ${result.hash.slice(0, 12)}`,
  };
}

/** A write-up: the report as a whole. */
export function writeupCitation(slug: string, title: string, site: URL | undefined, base: string, lang: Lang = 'en'): Citation {
  const c = common(site);
  return {
    id: slug,
    title,
    within: title === c.report ? [] : [c.report],
    authors: c.authors,
    path: `${langBase(lang, slash(base))}${slug}/`,
    site: c.site,
    date: c.date,
    commit: c.commit,
    lang,
  };
}

/** The site's citation files, beside what they cite. */
export const citationFiles = (path: string) => ({ bib: `${path}cite.bib`, text: `${path}cite.txt` });
