import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The works the site cites, from a BibTeX file in content/ (UTF-8): parsed
// here (entries of `@type{key, field = {…} | "…" | number}`), cited in the
// text as "(Kornblith et al., 2019)" and listed at the end of the page.

export interface BibEntry {
  type: string;
  key: string;
  fields: Record<string, string>;
}

/** Parses BibTeX entries; @comment, @preamble and text outside entries are skipped. A malformed entry throws, naming its line. */
export function parseBibtex(text: string, file = 'references.bib'): BibEntry[] {
  const entries: BibEntry[] = [];
  let i = 0;
  const line = (at: number) => text.slice(0, at).split('\n').length;
  const fail = (why: string, at: number): never => {
    throw new Error(`[Bibliography] ${file}:${line(at)}: ${why}`);
  };
  const space = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    // A line comment (%) before the @ hides it.
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (text.slice(lineStart, at).includes('%')) {
      i = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
      continue;
    }
    i = at + 1;
    const type = /^[A-Za-z]+/.exec(text.slice(i))?.[0]?.toLowerCase() ?? fail('an entry type after @', at);
    i += type.length;
    space();
    const open = text[i];
    if (open !== '{' && open !== '(') fail(`"{" after @${type}`, i);
    const close = open === '{' ? '}' : ')';
    i++;
    if (type === 'comment' || type === 'preamble' || type === 'string') {
      i = skipGroup(text, i - 1, fail);
      continue;
    }
    space();
    const key = /^[^,\s]+/.exec(text.slice(i))?.[0] ?? fail(`a key for @${type}`, i);
    i += key.length;
    const fields: Record<string, string> = {};
    for (;;) {
      space();
      if (text[i] === close) {
        i++;
        break;
      }
      if (text[i] !== ',') fail(`"," or "${close}" in @${type}{${key}}`, i);
      i++;
      space();
      if (text[i] === close) {
        i++;
        break;
      }
      const name = /^[A-Za-z][\w-]*/.exec(text.slice(i))?.[0]?.toLowerCase() ?? fail(`a field name in @${type}{${key}}`, i);
      i += name.length;
      space();
      if (text[i] !== '=') fail(`"=" after ${name} in ${key}`, i);
      i++;
      space();
      let value: string;
      if (text[i] === '{') {
        const end = skipGroup(text, i, fail);
        value = text.slice(i + 1, end - 1);
        i = end;
      } else if (text[i] === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) fail(`a closing quote in ${key}`, i);
        value = text.slice(i + 1, end);
        i = end + 1;
      } else {
        value = /^[\w.-]+/.exec(text.slice(i))?.[0] ?? fail(`a value for ${name} in ${key}`, i);
        i += value.length;
      }
      fields[name] = value.replace(/\s+/g, ' ').trim();
    }
    if (entries.some((e) => e.key === key)) fail(`the key "${key}" is used twice`, at);
    entries.push({ type, key, fields });
  }
  return entries;
}

/** The index just past the group whose opening brace is at `start`. */
function skipGroup(text: string, start: number, fail: (why: string, at: number) => never): number {
  let depth = 0;
  for (let j = start; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] === '{' || text[j] === '(') depth++;
    else if (text[j] === '}' || text[j] === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return fail('an unclosed brace', start);
}

/** A field's text as a reader sees it: braces and TeX's escapes gone, "--" as an en dash. */
export function plain(value: string | undefined): string {
  return (value ?? '')
    .replace(/\\([&%$#_{}])/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/--/g, '–')
    .trim();
}

export interface Person {
  family: string;
  given: string;
}

/** "Family, Given and Family, Given" (or "Given Family"). */
export function people(value: string | undefined): Person[] {
  return plain(value)
    .split(/\s+and\s+/)
    .filter(Boolean)
    .map((name) => {
      if (name.includes(',')) {
        const [family, given = ''] = name.split(',').map((s) => s.trim());
        return { family, given };
      }
      const parts = name.split(/\s+/);
      return { family: parts.pop() ?? name, given: parts.join(' ') };
    });
}

/** How the text cites an entry: "Kornblith et al., 2019", "İrsoy & Alpaydın, 2022". */
export function inText(e: BibEntry): { who: string; year: string } {
  const p = people(e.fields.author ?? e.fields.editor);
  const who =
    p.length === 0 ? plain(e.fields.title) : p.length === 1 ? p[0].family : p.length === 2 ? `${p[0].family} & ${p[1].family}` : `${p[0].family} et al.`;
  return { who, year: plain(e.fields.year) || 'n.d.' };
}

/** An entry in the reference list, in parts so a page can set the title in italics and link the address. */
export function reference(e: BibEntry): { authors: string; year: string; title: string; venue: string; link?: { href: string; text: string } } {
  const f = e.fields;
  const p = people(f.author ?? f.editor);
  const initials = (given: string) =>
    given
      .split(/\s+/)
      .filter(Boolean)
      .map((g) => (g.endsWith('.') ? g : `${[...g][0]}.`))
      .join(' ');
  const names = p.map((x) => (x.given ? `${x.family}, ${initials(x.given)}` : x.family));
  const authors = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
  const pages = plain(f.pages);
  const venue = f.journal
    ? `${plain(f.journal)}${f.volume ? `, ${plain(f.volume)}` : ''}${f.number ? `(${plain(f.number)})` : ''}${pages ? `, ${pages}` : ''}.`
    : f.booktitle
      ? `In ${plain(f.booktitle)}${pages ? ` (pp. ${pages})` : ''}.`
      : f.eprint && /arxiv/i.test(f.archiveprefix ?? '')
        ? `arXiv preprint arXiv:${plain(f.eprint)}.`
        : plain(f.howpublished || f.publisher || f.institution);
  const link = f.doi
    ? { href: `https://doi.org/${plain(f.doi)}`, text: `doi:${plain(f.doi)}` }
    : f.url
      ? { href: plain(f.url), text: plain(f.url) }
      : f.eprint && /arxiv/i.test(f.archiveprefix ?? '')
        ? { href: `https://arxiv.org/abs/${plain(f.eprint)}`, text: `arXiv:${plain(f.eprint)}` }
        : undefined;
  return { authors, year: plain(f.year) || 'n.d.', title: plain(f.title), venue, link };
}

/** Where the references live: content/references.bib beside the write-ups, else the repository's. */
export function bibliographyPath(): string {
  const own = join(resolve(process.env.CHEMINS_CONTENT ?? 'content'), 'references.bib');
  return existsSync(own) ? own : resolve('content/references.bib');
}

let cache: { path: string; entries: Map<string, BibEntry> } | undefined;

export function bibliography(): Map<string, BibEntry> {
  const path = bibliographyPath();
  if (cache?.path !== path) cache = { path, entries: new Map(existsSync(path) ? parseBibtex(readFileSync(path, 'utf8'), path).map((e) => [e.key, e]) : []) };
  return cache.entries;
}

/** The entry cited as `key` on `page`; an unknown key fails the build, naming the page and the key. */
export function resolveCitation(key: string, page: string): BibEntry {
  const entry = bibliography().get(key);
  if (entry) return entry;
  const known = [...bibliography().keys()];
  const near = known.filter((k) => k.startsWith(key.slice(0, 4))).slice(0, 3);
  throw new Error(
    `[CitationNotFound] ${page}: no reference "${key}" in ${bibliographyPath()}.\n  Hint: ${near.length ? `did you mean ${near.join(', ')}? ` : ''}add the entry to the BibTeX file, or cite one of its ${known.length} keys.`,
  );
}

/** References in the order a reader looks them up: by first author, then year. */
export function sortReferences(entries: BibEntry[]): BibEntry[] {
  const first = (e: BibEntry) => `${people(e.fields.author)[0]?.family ?? plain(e.fields.title)} ${plain(e.fields.year)}`;
  return [...new Map(entries.map((e) => [e.key, e])).values()].sort((a, b) => first(a).localeCompare(first(b), 'en') || a.key.localeCompare(b.key));
}

/** The keys a write-up cites, in order, from its source: `<Cite id="a" />` and `<Cite ids="a, b" />`. */
export function citedKeys(source: string): string[] {
  const keys: string[] = [];
  for (const m of source.matchAll(/<Cite\b([^>]*)\/?>/g)) {
    const attr = /\bids?=["']([^"']+)["']/.exec(m[1])?.[1];
    if (attr) keys.push(...attr.split(/[\s,]+/).filter(Boolean));
  }
  return [...new Set(keys)];
}
