import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIGURES, figuresFor } from '../src/figures/index.ts';
import { flowLayout } from '../src/figures/flow.ts';
import { greyPngDataUri } from '../src/figures/png.ts';
import { renderSvg, toCsv } from '../src/figures/render.ts';
import { standaloneSvg } from '../src/figures/standalone.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import type { Result } from '../src/results/schema.ts';
import { tempDir, tinySpec } from './helpers.ts';

let result: Result;
const dir = tempDir();

beforeAll(async () => {
  ({ result } = await runExperiment({ id: 'tiny', file: 'x', spec: tinySpec() }, { resultsDir: dir, backend: 'wasm' }));
});

describe('figures', () => {
  it('render every figure to an SVG with its title as label, the same bytes each time', () => {
    const defs = figuresFor(result);
    expect(defs.map((d) => d.name)).toEqual(FIGURES.map((d) => d.name));
    for (const def of defs) {
      const svg = renderSvg(def, result);
      expect(svg.startsWith('<svg'), def.name).toBe(true);
      expect(svg).toContain(`aria-label="${def.title}"`);
      expect(renderSvg(def, result)).toBe(svg);
    }
  });

  it('make a standalone SVG a file can hold', () => {
    const svg = standaloneSvg(renderSvg(FIGURES[0], result));
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toContain('currentColor');
    expect(svg).toContain('font-family=');
  });

  it('publish their data as CSV, quoted where needed', () => {
    const csv = toCsv(FIGURES.find((f) => f.name === 'data-counts')!, result);
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe('split,class,count');
    expect(lines.reduce((s, l) => s + Number(l.split(',')[2]), 0)).toBe(result.dataset.counts.reduce((s, c) => s + c.count, 0));
    expect(toCsv({ ...FIGURES[0], rows: () => [{ a: 'x,"y"', b: 1 }] }, result)).toBe('a,b\n"x,""y""",1\n');
  });

  it('lay out path flows so that every band starts and ends inside its clusters', () => {
    const { nodes, links } = flowLayout(result);
    const node = (layer: number, cluster: number) => nodes.find((n) => n.layer === layer && n.cluster === cluster)!;
    for (const l of links) {
      const from = node(l.layer, l.from);
      const to = node(l.layer + 1, l.to);
      expect(l.y1 - l.count / 2).toBeGreaterThanOrEqual(from.y1 - 1e-9);
      expect(l.y1 + l.count / 2).toBeLessThanOrEqual(from.y2 + 1e-9);
      expect(l.y2 - l.count / 2).toBeGreaterThanOrEqual(to.y1 - 1e-9);
      expect(l.y2 + l.count / 2).toBeLessThanOrEqual(to.y2 + 1e-9);
    }
    const total = result.dataset.counts.reduce((s, c) => s + c.count, 0);
    for (const layer of [0, 1]) expect(nodes.filter((n) => n.layer === layer).reduce((s, n) => s + n.size, 0)).toBe(total);
  });

  it('encode digits as valid PNG', () => {
    const uri = greyPngDataUri(new Uint8Array(4).fill(255), 2, 2);
    const png = Buffer.from(uri.split(',')[1], 'base64');
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.readUInt32BE(16)).toBe(2);
  });
});

describe('figure references in write-ups', () => {
  it('fail with the page and the id when the figure does not exist', async () => {
    process.env.CHEMINS_RESULTS = dir;
    process.env.CHEMINS_EXPERIMENTS = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${process.env.CHEMINS_EXPERIMENTS}/tiny.yaml`, 'title: t\ndataset: {classes: [1, 7]}\n');
    const { resolveFigure } = await import('../src/site/figure-ref.ts');
    expect(resolveFigure('tiny/purity', '/report/')).toMatchObject({ id: 'tiny/purity', number: 5 });
    expect(() => resolveFigure('tiny/nope', '/report/')).toThrow(/\[FigureNotFound\] \/report\/: figure "tiny\/nope" names figure "nope"/);
    expect(() => resolveFigure('other/purity', '/report/')).toThrow(/names experiment "other", which has no result/);
    expect(() => resolveFigure('purity', '/report/')).toThrow(/<experiment>\/<figure>/);
    expect(readFileSync(`${dir}/tiny.json`, 'utf8')).toContain('"id":"tiny"');
  });
});
