// How to cite a figure, an experiment page or the report: BibTeX and a line
// of plain text, built from what the page knows (no I/O here: build-info.ts
// reads the commit and the date, citation-file.ts the authors and address).

import type { Author } from './citation-file.ts';

export type { Author };

export interface Citation {
  /** A stable id: `<experiment>/<figure>`, `<experiment>` or the write-up's slug. */
  id: string;
  /** What is cited, as its page prints it: "Figure 5: Cluster purity per layer". */
  title: string;
  /** Where it stands, outermost last: the experiment's title, then the report's. */
  within: string[];
  authors: Author[];
  /** Its path on the site, anchor included, from the site's root (base included). */
  path: string;
  /** The site's address, or none when the build had none (then no URL can be given). */
  site?: string | URL;
  /** The build date, `YYYY-MM-DD`: the year, and the date the address was read (urldate). */
  date: string;
  /** The commit the site was built from, short hash or `unknown`. */
  commit: string;
  /** The language its page is in: the words around the citation follow it (English when absent). */
  lang?: 'en' | 'fr';
  /** What else identifies it, e.g. "figure id mnist-1-vs-7/purity". */
  note?: string;
}

/** A figure's path: its anchor on its experiment's page. */
export function figurePath(c: { id: string; experimentId: string; base?: string }): string {
  const base = (c.base ?? '/').replace(/\/?$/, '/');
  const name = c.id.slice(c.id.indexOf('/') + 1);
  return `${base}experiments/${c.experimentId}/#fig-${name}`;
}

/** The absolute address, or undefined when the site's address is not known. */
export function citationUrl(c: Pick<Citation, 'path' | 'site'>): string | undefined {
  if (!c.site) return undefined;
  return new URL(c.path.replace(/^\//, ''), String(c.site).replace(/\/?$/, '/')).href;
}

/**
 * A BibTeX key of safe characters only (ASCII letters, digits, `-`, `_`,
 * `:`), stable for what it cites: `chemins:mnist-1-vs-7:purity`.
 */
export function bibtexKey(id: string): string {
  const ascii = id.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const parts = ascii.split('/').map((p) =>
    p
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, ''),
  );
  return ['chemins', ...parts.filter(Boolean)].join(':');
}

/**
 * Escapes text for a BibTeX field in braces: TeX's special characters made
 * literal, so that no title can unbalance the entry or start math mode.
 */
export function escapeBibtex(text: string): string {
  return text.replace(/[\\{}$&%#_^~]/g, (ch) => {
    switch (ch) {
      case '\\':
        return '\\textbackslash{}';
      case '^':
        return '\\textasciicircum{}';
      case '~':
        return '\\textasciitilde{}';
      default:
        return `\\${ch}`;
    }
  });
}

/** Ends a title as a sentence: a full stop, unless it already ends in one, a question or an exclamation mark. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.?!…]["'”’)]*$/.test(t) ? t : `${t}.`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function dateParts(date: string): { year: string; month?: string } {
  const m = /^(\d{4})(?:-(\d{2}))?/.exec(date);
  if (!m) return { year: date };
  return { year: m[1], month: m[2] ? MONTHS[Number(m[2]) - 1] : undefined };
}

/** BibTeX's author list: "Family, Given and Family, Given"; an entity in braces, so that BibTeX keeps it whole. */
export function bibtexAuthors(authors: Author[]): string {
  return authors
    .map((a) => (a.family ? [escapeBibtex(a.family), a.given ? escapeBibtex(a.given) : ''].filter(Boolean).join(', ') : `{${escapeBibtex(a.name ?? '')}}`))
    .join(' and ');
}

/** Authors for a reference list: "Family, G., Family, G., & Family, G."; an entity as it is. */
export function plainAuthors(authors: Author[]): string {
  const one = (a: Author) =>
    a.family
      ? `${a.family}${
          a.given
            ? `, ${a.given
                .split(/[\s-]+/)
                .filter(Boolean)
                .map((g) => `${[...g][0]}.`)
                .join(' ')}`
            : ''
        }`
      : (a.name ?? '');
  const names = authors.map(one);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
}

function note(c: Citation): string {
  return [c.note, c.lang === 'fr' ? `construit le ${c.date} à partir du commit ${c.commit}` : `built ${c.date} from commit ${c.commit}`]
    .filter(Boolean)
    .join('; ');
}

/** A BibTeX `@misc` entry (read by BibTeX and biblatex alike): authors, title, where it stands, URL and access date. */
export function bibtex(c: Citation): string {
  const url = citationUrl(c);
  const { year, month } = dateParts(c.date);
  const fields: [string, string, boolean?][] = [
    ['author', bibtexAuthors(c.authors)],
    // Double braces keep the title's capitals.
    ['title', `{${escapeBibtex(c.title)}}`],
    ...(c.within.length ? ([['howpublished', escapeBibtex(`${c.lang === 'fr' ? 'Dans' : 'In'} ${c.within.join(', ')}`)]] as [string, string][]) : []),
    ['year', escapeBibtex(year)],
    ...(month ? ([['month', month, true]] as [string, string, boolean][]) : []),
    // A URL stays verbatim (the url package reads it so), braces aside.
    ...(url
      ? ([
          ['url', url.replace(/\{/g, '%7B').replace(/\}/g, '%7D')],
          ['urldate', escapeBibtex(c.date)],
        ] as [string, string][])
      : []),
    ['note', escapeBibtex(url ? note(c) : `${note(c)}; at ${c.path} on the site (built without an address: set CHEMINS_SITE or url in CITATION.cff)`)],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  const body = fields.map(([k, v, bare]) => `  ${k.padEnd(width)} = ${bare ? v : `{${v}}`}`).join(',\n');
  return `@misc{${bibtexKey(c.id)},\n${body}\n}\n`;
}

/** One paragraph of plain text, for a reference list. */
export function plainCitation(c: Citation): string {
  const url = citationUrl(c);
  const fr = c.lang === 'fr';
  const where = c.within.length ? ` ${fr ? 'Dans' : 'In'} ${sentence(c.within.join(', '))}` : '';
  const tail = url
    ? fr
      ? ` Consulté le ${c.date}, à l’adresse ${url}`
      : ` Retrieved ${c.date}, from ${url}`
    : fr
      ? ` À ${c.path} sur le site (construit sans adresse).`
      : ` At ${c.path} on the site (built without an address).`;
  const built = fr ? `Construit à partir du commit ${c.commit}.` : `Built from commit ${c.commit}.`;
  return `${plainAuthors(c.authors)} (${dateParts(c.date).year}). ${sentence(c.title)}${where}${c.note ? ` ${sentence(c.note.replace(/^./, (ch) => ch.toUpperCase()))}` : ''} ${built}${tail}`;
}

/** The text file beside what is cited: the plain citation, then the BibTeX entry. */
export function citationText(c: Citation): string {
  if (c.lang === 'fr') return [`Comment citer ${c.title} (${c.id})`, '', 'Texte brut\u00A0:', plainCitation(c), '', 'BibTeX\u00A0:', bibtex(c)].join('\n');
  return [`How to cite ${c.title} (${c.id})`, '', 'Plain text:', plainCitation(c), '', 'BibTeX:', bibtex(c)].join('\n');
}
