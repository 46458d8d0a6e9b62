import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCommit, citableSite } from '../src/site/build-info.ts';
import { bibtex, bibtexKey, citationText, escapeBibtex, figurePath, figureUrl, plainCitation, type FigureCitation } from '../src/site/cite.ts';

const purity: FigureCitation = {
  id: 'mnist-1-vs-7/purity',
  title: 'Cluster purity per layer',
  number: 5,
  experimentId: 'mnist-1-vs-7',
  experimentTitle: 'MNIST 1 vs 7, probed with 3',
  site: 'https://paths.example.net/chemins',
  base: '/',
  date: '2026-11-25',
  commit: 'e9cab17',
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
    expect(escapeBibtex('50 % & more_than {k} #1 $x$ ^ ~ \\')).toBe('50 \\% \\& more\\_than \\{k\\} \\#1 \\$x\\$ \\textasciicircum{} \\textasciitilde{} \\textbackslash{}');
    for (const title of ['}{', 'a } b', '{{', '\\}', 'x\\']) expect(balanced(`{${escapeBibtex(title)}}`), title).toBe(true);
  });
});

describe('figure citations', () => {
  it('link the figure on its experiment page, under the site and base', () => {
    expect(figurePath(purity)).toBe('/experiments/mnist-1-vs-7/#fig-purity');
    expect(figurePath({ ...purity, base: '/docs' })).toBe('/docs/experiments/mnist-1-vs-7/#fig-purity');
    expect(figureUrl(purity)).toBe('https://paths.example.net/chemins/experiments/mnist-1-vs-7/#fig-purity');
    expect(figureUrl({ ...purity, site: new URL('https://a.test') })).toBe('https://a.test/experiments/mnist-1-vs-7/#fig-purity');
    expect(figureUrl({ ...purity, site: undefined })).toBeUndefined();
  });

  it('give a BibTeX entry with the id, title, number, experiment, date and commit', () => {
    const entry = bibtex(purity);
    expect(entry).toMatch(/^@misc\{chemins:mnist-1-vs-7:purity,\n/);
    expect(entry).toContain('title        = {{Figure 5: Cluster purity per layer}}');
    expect(entry).toContain('url          = {https://paths.example.net/chemins/experiments/mnist-1-vs-7/#fig-purity}');
    expect(entry).toContain('year         = {2026}');
    expect(entry).toContain('month        = nov,');
    expect(entry).toContain("``MNIST 1 vs 7, probed with 3''");
    expect(entry).toContain('figure id mnist-1-vs-7/purity');
    expect(entry).toContain('built 2026-11-25 from commit e9cab17');
    expect(entry.trimEnd().endsWith('}')).toBe(true);
    expect(balanced(entry)).toBe(true);
  });

  it('escape titles with braces and specials, so the entry still parses', () => {
    const entry = bibtex({ ...purity, title: 'Purity {k} at 95 % & more_1 }', experimentTitle: 'A $5 #test ~ \\' });
    expect(entry).toContain('{{Figure 5: Purity \\{k\\} at 95 \\% \\& more\\_1 \\}}}');
    expect(entry).toContain('A \\$5 \\#test \\textasciitilde{} \\textbackslash{}');
    expect(balanced(entry)).toBe(true);
  });

  it('fall back to a path relative to the site when its address is unknown', () => {
    const offline = { ...purity, site: undefined };
    const entry = bibtex(offline);
    expect(entry).not.toMatch(/\burl\s*=/);
    expect(entry).toContain('at /experiments/mnist-1-vs-7/\\#fig-purity on the site');
    expect(plainCitation(offline)).toContain('/experiments/mnist-1-vs-7/#fig-purity (relative to the site');
    expect(balanced(entry)).toBe(true);
  });

  it('give a plain-text citation, and both in the text file', () => {
    expect(plainCitation(purity)).toBe(
      'Chemins (2026). Figure 5: Cluster purity per layer. In MNIST 1 vs 7, probed with 3 [experiment mnist-1-vs-7]. Figure id mnist-1-vs-7/purity, built 2026-11-25 from commit e9cab17. https://paths.example.net/chemins/experiments/mnist-1-vs-7/#fig-purity',
    );
    const text = citationText(purity);
    expect(text).toContain(plainCitation(purity));
    expect(text).toContain(bibtex(purity));
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
