// How to cite a figure: BibTeX and a line of plain text, built from what the
// page knows (no I/O here: build-info.ts reads the commit and the date).

export interface FigureCitation {
  /** The stable id `<experiment>/<figure>`. */
  id: string;
  /** The figure's title, as printed on its page. */
  title: string;
  /** Its number on its experiment's page. */
  number: number;
  experimentId: string;
  experimentTitle: string;
  /** The site's address (Astro's `site`), or none: the link is then given relative to the site. */
  site?: string | URL;
  /** Astro's base path, `/` by default. */
  base?: string;
  /** The build date, `YYYY-MM-DD`. */
  date: string;
  /** The commit the site was built from, short hash or `unknown`. */
  commit: string;
  /** Who is credited; the project by default. */
  author?: string;
}

const SITE_NAME = 'Chemins';

/** Where the figure stands: its anchor on its experiment's page. */
export function figurePath(c: Pick<FigureCitation, 'id' | 'experimentId' | 'base'>): string {
  const base = (c.base ?? '/').replace(/\/?$/, '/');
  const name = c.id.slice(c.id.indexOf('/') + 1);
  return `${base}experiments/${c.experimentId}/#fig-${name}`;
}

/** The figure's absolute address, or undefined when the site's address is not known. */
export function figureUrl(c: FigureCitation): string | undefined {
  if (!c.site) return undefined;
  return new URL(figurePath(c).replace(/^\//, ''), String(c.site).replace(/\/?$/, '/')).href;
}

/**
 * A BibTeX key of safe characters only (ASCII letters, digits, `-`, `_`,
 * `:`), stable for a figure: `chemins:mnist-1-vs-7:purity`.
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

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function dateParts(date: string): { year: string; month?: string } {
  const m = /^(\d{4})(?:-(\d{2}))?/.exec(date);
  if (!m) return { year: date };
  return { year: m[1], month: m[2] ? MONTHS[Number(m[2]) - 1] : undefined };
}

function note(c: FigureCitation): string {
  const where = figureUrl(c) ? '' : `, at ${figurePath(c)} on the site`;
  return `Figure ${c.number} of the experiment \`\`${c.experimentTitle}'' (${c.experimentId})${where}; figure id ${c.id}; built ${c.date} from commit ${c.commit}`;
}

/** A BibTeX `@misc` entry for the figure. */
export function bibtex(c: FigureCitation): string {
  const url = figureUrl(c);
  const { year, month } = dateParts(c.date);
  const fields: [string, string][] = [
    // Double braces keep the capitals of a corporate author and of the title.
    ['author', `{${escapeBibtex(c.author ?? SITE_NAME)}}`],
    ['title', `{${escapeBibtex(`Figure ${c.number}: ${c.title}`)}}`],
    ['howpublished', escapeBibtex(`${SITE_NAME}: ${c.experimentTitle}`)],
    ['year', escapeBibtex(year)],
    ...(month ? ([['month', month]] as [string, string][]) : []),
    // A URL stays verbatim (the url package reads it so), braces aside.
    ...(url ? ([['url', url.replace(/\{/g, '%7B').replace(/\}/g, '%7D')], ['urldate', escapeBibtex(c.date)]] as [string, string][]) : []),
    ['note', escapeBibtex(note(c))],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  const body = fields.map(([k, v]) => `  ${k.padEnd(width)} = ${k === 'month' ? v : `{${v}}`}`).join(',\n');
  return `@misc{${bibtexKey(c.id)},\n${body}\n}\n`;
}

/** One paragraph of plain text, for a reference list. */
export function plainCitation(c: FigureCitation): string {
  const url = figureUrl(c);
  const where = url ?? `${figurePath(c)} (relative to the site's address: the site was built without CHEMINS_SITE)`;
  return `${c.author ?? SITE_NAME} (${dateParts(c.date).year}). Figure ${c.number}: ${c.title}. In ${c.experimentTitle} [experiment ${c.experimentId}]. Figure id ${c.id}, built ${c.date} from commit ${c.commit}. ${where}`;
}

/** The text file beside a figure: the plain citation, then the BibTeX entry. */
export function citationText(c: FigureCitation): string {
  return [
    `How to cite Figure ${c.number} (${c.id})`,
    '',
    'Plain text:',
    plainCitation(c),
    '',
    'BibTeX:',
    bibtex(c),
  ].join('\n');
}
