import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCommit, citableSite } from '../src/site/build-info.ts';
import { bibtex, bibtexKey, citationText, citationUrl, escapeBibtex, figurePath, plainCitation, sentence, type Citation } from '../src/site/cite.ts';
import { readCitationFile } from '../src/site/citation-file.ts';

const purity: Citation = {
  id: 'mnist-1-vs-7/purity',
  title: 'Figure 5: Cluster purity per layer',
  within: ['MNIST 1 vs 7, probed with 3', 'Chemins: specific paths'],
  authors: [{ family: 'Doe', given: 'Jane Ann' }, { family: 'Roe', given: 'Richard' }, { name: 'Paths Lab & Co' }],
  path: '/experiments/mnist-1-vs-7/#fig-purity',
  site: 'https://paths.example.net/chemins',
  date: '2026-11-25',
  commit: 'e9cab17',
  note: 'figure id mnist-1-vs-7/purity',
};

/** Braces balanced, outside of escapes: what BibTeX needs to read an entry. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const [i, ch] of [...text].entries()) {
    if (text[i - 1] === '\\') continue;
    if (ch === '{') depth++;
    if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('bibtexKey', () => {
  it('keeps only safe characters, stable for a figure', () => {
    expect(bibtexKey('mnist-1-vs-7/purity')).toBe('chemins:mnist-1-vs-7:purity');
    expect(bibtexKey('Réseau été/a b{c}%#,=x')).toBe('chemins:Reseau-ete:a-b-c-x');
    for (const id of ['a"b/c d', 'x,y/{z}', '@/@', 'é/ü']) expect(bibtexKey(id)).toMatch(/^[A-Za-z0-9_:-]+$/);
  });
});

describe('escapeBibtex', () => {
  it('makes TeX specials literal and never unbalances braces', () => {
    expect(escapeBibtex('50 % & more_than {k} #1 $x$ ^ ~ \\')).toBe(
      '50 \\% \\& more\\_than \\{k\\} \\#1 \\$x\\$ \\textasciicircum{} \\textasciitilde{} \\textbackslash{}',
    );
    for (const title of ['}{', 'a } b', '{{', '\\}', 'x\\']) expect(balanced(`{${escapeBibtex(title)}}`), title).toBe(true);
  });
});

describe('citations', () => {
  it('link the figure on its experiment page, under the site and base', () => {
    expect(figurePath({ id: 'mnist-1-vs-7/purity', experimentId: 'mnist-1-vs-7' })).toBe('/experiments/mnist-1-vs-7/#fig-purity');
    expect(figurePath({ id: 'mnist-1-vs-7/purity', experimentId: 'mnist-1-vs-7', base: '/docs' })).toBe('/docs/experiments/mnist-1-vs-7/#fig-purity');
    expect(citationUrl(purity)).toBe('https://paths.example.net/chemins/experiments/mnist-1-vs-7/#fig-purity');
    expect(citationUrl({ ...purity, site: new URL('https://a.test') })).toBe('https://a.test/experiments/mnist-1-vs-7/#fig-purity');
    expect(citationUrl({ ...purity, site: undefined })).toBeUndefined();
  });

  it('give a BibTeX entry with real authors, a clean title, an absolute url and the access date', () => {
    const entry = bibtex(purity);
    expect(entry).toMatch(/^@misc\{chemins:mnist-1-vs-7:purity,\n/);
    expect(entry).toContain('author       = {Doe, Jane Ann and Roe, Richard and {Paths Lab \\& Co}}');
    expect(entry).toContain('title        = {{Figure 5: Cluster purity per layer}}');
    expect(entry).toContain('url          = {https://paths.example.net/chemins/experiments/mnist-1-vs-7/#fig-purity}');
    expect(entry).toContain('urldate      = {2026-11-25}');
    expect(entry).toContain('year         = {2026}');
    expect(entry).toContain('month        = nov,');
    expect(entry).toContain('In MNIST 1 vs 7, probed with 3, Chemins: specific paths');
    expect(entry).toContain('figure id mnist-1-vs-7/purity');
    expect(entry).toContain('built 2026-11-25 from commit e9cab17');
    expect(entry.trimEnd().endsWith('}')).toBe(true);
    expect(balanced(entry)).toBe(true);
  });

  it('escape titles with braces and specials, so the entry still parses', () => {
    const entry = bibtex({ ...purity, title: 'Purity {k} at 95 % & more_1 }', within: ['A $5 #test ~ \\'] });
    expect(entry).toContain('{{Purity \\{k\\} at 95 \\% \\& more\\_1 \\}}}');
    expect(entry).toContain('A \\$5 \\#test \\textasciitilde{} \\textbackslash{}');
    expect(balanced(entry)).toBe(true);
  });

  it('say where it stands on the site when the address is unknown, and how to set it', () => {
    const offline = { ...purity, site: undefined };
    const entry = bibtex(offline);
    expect(entry).not.toMatch(/\burl\s*=/);
    expect(entry).toContain('CHEMINS\\_SITE');
    expect(plainCitation(offline)).toContain('/experiments/mnist-1-vs-7/#fig-purity on the site');
    expect(balanced(entry)).toBe(true);
  });

  it('give a plain-text citation that never doubles a question mark into "?."', () => {
    expect(plainCitation(purity)).toBe(
      'Doe, J. A., Roe, R., & Paths Lab & Co (2026). Figure 5: Cluster purity per layer. In MNIST 1 vs 7, probed with 3, Chemins: specific paths. Figure id mnist-1-vs-7/purity. Built from commit e9cab17. Retrieved 2026-11-25, from https://paths.example.net/chemins/experiments/mnist-1-vs-7/#fig-purity',
    );
    const q = plainCitation({ ...purity, title: 'Figure 7: From which layer are the classes separated?' });
    expect(q).toContain('separated? In');
    expect(q).not.toContain('?.');
    expect(sentence('Why?')).toBe('Why?');
    expect(sentence('Done')).toBe('Done.');
    const text = citationText(purity);
    expect(text).toContain(plainCitation(purity));
    expect(text).toContain(bibtex(purity));
  });
});

describe('CITATION.cff', () => {
  it('gives the title, the authors (persons and entities) and the address', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cff-'));
    const file = join(dir, 'CITATION.cff');
    writeFileSync(
      file,
      'cff-version: 1.2.0\ntitle: My report\nurl: https://r.test/x/\nauthors:\n  - family-names: Curie\n    given-names: Marie\n    name-particle: de\n  - name: The Lab\n',
    );
    expect(readCitationFile(file)).toEqual({
      title: 'My report',
      authors: [{ family: 'de Curie', given: 'Marie' }, { name: 'The Lab' }],
      url: 'https://r.test/x/',
      doi: undefined,
      version: undefined,
    });
    expect(readCitationFile(join(dir, 'none.cff')).authors.length).toBeGreaterThan(0);
    writeFileSync(file, 'title: [unclosed');
    expect(() => readCitationFile(file)).toThrow(/CitationFile/);
  });

  it('the repository has one, with a title and authors', () => {
    const cff = readCitationFile('CITATION.cff');
    expect(cff.title).toMatch(/Chemins/);
    expect(cff.authors.length).toBeGreaterThan(0);
  });
});

describe('build info', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes the commit from CHEMINS_COMMIT, else from git, else unknown', async () => {
    expect(buildCommit()).toMatch(/^([0-9a-f]{4,40}|unknown)$/);
    vi.resetModules();
    vi.stubEnv('CHEMINS_COMMIT', 'abc1234');
    const fresh = await import('../src/site/build-info.ts');
    expect(fresh.buildCommit()).toBe('abc1234');
  });

  it('never cites the placeholder site address', () => {
    expect(citableSite(new URL('https://chemins.example.org'))).toBeUndefined();
    expect(citableSite(undefined)).toBeUndefined();
    expect(citableSite(new URL('https://paths.test/x/'))?.href).toBe('https://paths.test/x/');
  });
});
