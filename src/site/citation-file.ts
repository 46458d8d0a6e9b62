import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

// The report's title, authors and address, from the repository's
// CITATION.cff (the Citation File Format that GitHub and Zenodo read).

export interface Author {
  family?: string;
  given?: string;
  /** An entity (a group, an institution), when there is no person's name. */
  name?: string;
}

export interface CitationFile {
  title: string;
  authors: Author[];
  /** The published address (`url`), if the file gives one. */
  url?: string;
  doi?: string;
  version?: string;
}

const FALLBACK: CitationFile = { title: 'Chemins', authors: [{ name: 'Chemins contributors' }] };

/** Reads CITATION.cff from the repository root (CHEMINS_CITATION names another file); a missing file gives a plain fallback, a broken one fails. */
export function readCitationFile(path = process.env.CHEMINS_CITATION ?? resolve('CITATION.cff')): CitationFile {
  if (!existsSync(path)) return FALLBACK;
  let data: Record<string, unknown>;
  try {
    data = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    throw new Error(`[CitationFile] ${path}: not valid YAML: ${(e as Error).message}\n  Hint: see the Citation File Format (cff-version 1.2.0).`);
  }
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
  const authors = (Array.isArray(data.authors) ? data.authors : []).flatMap((a): Author[] => {
    if (!a || typeof a !== 'object') return [];
    const r = a as Record<string, unknown>;
    const family = [text(r['name-particle']), text(r['family-names'])].filter(Boolean).join(' ') || undefined;
    const given = text(r['given-names']);
    if (family) return [{ family: [family, text(r['name-suffix'])].filter(Boolean).join(', '), given }];
    const name = text(r.name) ?? given;
    return name ? [{ name }] : [];
  });
  return {
    title: text(data.title) ?? FALLBACK.title,
    authors: authors.length ? authors : FALLBACK.authors,
    url: text(data.url),
    doi: text(data.doi),
    version: text(data.version),
  };
}

let cached: CitationFile | undefined;

export function citationFile(): CitationFile {
  return (cached ??= readCitationFile());
}
