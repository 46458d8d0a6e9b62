import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { citedKeys, inText, parseBibtex, people, reference, resolveCitation, sortReferences } from '../src/site/bibliography.ts';
import { embeddedFigures, writeupState } from '../src/site/writeup.ts';

const BIB = `% a comment with @misc{not, an = entry}
@article{a1,
  author = {Doe, Jane and Roe, R. and Poe, Edgar Allan},
  title = {A {Title} with \\& and --},
  journal = {J. Tests}, volume = 3, number = {2}, pages = {1--9},
  year = {2001}, doi = {10.1/x}
}
@misc{b2, author = "İrsoy, Ozan and Alpaydın, Ethem", title = {{PathFinder}}, year = 2022, eprint = {2210.00319}, archiveprefix = {arXiv}}
@comment{ignored}
`;

describe('BibTeX references', () => {
  it('parses entries, braces, quotes and bare values, skipping comments', () => {
    const entries = parseBibtex(BIB);
    expect(entries.map((e) => e.key)).toEqual(['a1', 'b2']);
    expect(entries[0].fields.volume).toBe('3');
    expect(people(entries[0].fields.author)).toEqual([
      { family: 'Doe', given: 'Jane' },
      { family: 'Roe', given: 'R.' },
      { family: 'Poe', given: 'Edgar Allan' },
    ]);
    expect(inText(entries[0])).toEqual({ who: 'Doe et al.', year: '2001' });
    expect(inText(entries[1])).toEqual({ who: 'İrsoy & Alpaydın', year: '2022' });
    expect(reference(entries[0])).toEqual({
      authors: 'Doe, J., Roe, R., & Poe, E. A.',
      year: '2001',
      title: 'A Title with & and –',
      venue: 'J. Tests, 3(2), 1–9.',
      link: { href: 'https://doi.org/10.1/x', text: 'doi:10.1/x' },
    });
    expect(reference(entries[1]).link?.href).toBe('https://arxiv.org/abs/2210.00319');
    expect(sortReferences([entries[1], entries[0], entries[1]]).map((e) => e.key)).toEqual(['a1', 'b2']);
  });

  it('names the line of a malformed entry and a key used twice', () => {
    expect(() => parseBibtex('\n@misc{x, title = {open}')).toThrow(/references.bib:2/);
    expect(() => parseBibtex('@misc{x, a = 1}\n@misc{x, a = 2}')).toThrow(/used twice/);
  });

  it('fails on an unknown key, naming the page and the key', () => {
    expect(() => resolveCitation('nobody2099', '/report/')).toThrow(/\[CitationNotFound\] \/report\/: no reference "nobody2099"/);
  });

  it('resolves every key the report cites, and the experiment page cites', () => {
    const report = readFileSync('content/report.mdx', 'utf8');
    const keys = citedKeys(report);
    expect(keys.length).toBeGreaterThan(8);
    for (const k of keys) expect(resolveCitation(k, '/report/').key).toBe(k);
    const page = readFileSync('src/components/ExperimentReport.astro', 'utf8');
    for (const m of page.matchAll(/'([a-z]+\d{4}[a-z]*)'/g)) expect(resolveCitation(m[1], '/experiments/x/').key).toBe(m[1]);
    expect(citedKeys('<Cite ids="a, b" /> and <Cite id="c" narrative /> <Cite id="a" />')).toEqual(['a', 'b', 'c']);
  });
});

describe('a write-up numbers its own figures', () => {
  it('in the order it embeds them, each once', () => {
    const src = '<ExperimentFigure id="x/b" />\n<FigureRef id="x/a" />\n<ExperimentFigure id="y/b" />\n<ExperimentFigure id="x/b" />';
    expect(embeddedFigures(src)).toEqual(['x/b', 'y/b']);
    expect([...writeupState(src).figures]).toEqual([
      ['x/b', 1],
      ['y/b', 2],
    ]);
  });
});
