import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePixels } from '../src/data/image.ts';
import { FIGURES, figureByName, figuresFor } from '../src/figures/index.ts';
import { crossings, flowLayout } from '../src/figures/flow.ts';
import { svgToPdf } from '../src/figures/pdf.ts';
import { drawnNeurons, MAX_DRAWN } from '../src/figures/network.ts';
import { mapsOf } from '../src/figures/projections.ts';
import { className } from '../src/figures/labels.ts';
import { classColor } from '../src/figures/palette.ts';
import { greyPngDataUri } from '../src/figures/png.ts';
import { renderSvg, toCsv } from '../src/figures/render.ts';
import { standaloneSvg } from '../src/figures/standalone.ts';
import type { Row } from '../src/figures/types.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import type { Result } from '../src/results/schema.ts';
import { tempDir, tinySpec } from './helpers.ts';

// Two seeds, so that every figure applies (seed stability needs two); a
// second, bare result (one seed, no probes) for the figures that must step aside.
let result: Result;
let bare: Result;
const dir = tempDir();

beforeAll(async () => {
  ({ result } = await runExperiment({ id: 'tiny', file: 'x', spec: tinySpec({ seeds: [1, 2] }) }, { resultsDir: dir, backend: 'wasm' }));
  const spec = tinySpec({
    dataset: { classes: [0, 1, 2], probes: [], outliers: 'none', samplesPerClass: 60 },
    model: { hidden: [12] },
    training: { epochs: 2, batchSize: 32 },
  });
  ({ result: bare } = await runExperiment({ id: 'bare', file: 'x', spec }, { resultsDir: tempDir(), backend: 'wasm' }));
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const figure = (name: string) => figureByName(name)!;
const rowsOf = (name: string, r = result) => figure(name).rows(r, 'en');
const one = (rows: Row[], where: Partial<Row>) => {
  const hits = rows.filter((d) => Object.entries(where).every(([k, v]) => d[k] === v));
  expect(hits, JSON.stringify(where)).toHaveLength(1);
  return hits[0];
};

/** The figure renders an SVG and publishes non-empty CSV rows. */
function renders(name: string, r = result): Row[] {
  const def = figure(name);
  expect(def.applies?.(r) ?? true, name).toBe(true);
  const svg = renderSvg(def, r);
  expect(svg.startsWith('<svg'), name).toBe(true);
  expect(svg).toContain(`aria-label="${def.title.en}"`);
  const rows = def.rows(r, 'en');
  expect(rows.length, name).toBeGreaterThan(0);
  expect(toCsv(def, r).trim().split('\n')).toHaveLength(rows.length + 1);
  return rows;
}

describe('figures', () => {
  it('render every figure to an SVG with its title as label, the same bytes each time', () => {
    const defs = figuresFor(result);
    expect(defs.map((d) => d.name)).toEqual(FIGURES.map((d) => d.name));
    for (const def of defs) {
      const svg = renderSvg(def, result);
      expect(svg.startsWith('<svg'), def.name).toBe(true);
      expect(svg).toContain(`aria-label="${def.title.en}"`);
      expect(renderSvg(def, result)).toBe(svg);
      expect(def.caption(result, 'en'), def.name).not.toMatch(/undefined|NaN/);
    }
  });

  it('skip the figures whose data a result lacks, and render the rest', () => {
    const names = figuresFor(bare).map((d) => d.name);
    for (const absent of ['probe-predictions', 'ood-auc', 'ood-roc', 'ood-histograms', 'seed-stability']) expect(names).not.toContain(absent);
    for (const def of figuresFor(bare)) {
      expect(renderSvg(def, bare).startsWith('<svg'), def.name).toBe(true);
      expect(def.caption(bare, 'en'), def.name).not.toMatch(/undefined|NaN/);
    }
  });

  it('make a standalone SVG a file can hold', () => {
    const svg = standaloneSvg(renderSvg(FIGURES[0], result));
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toContain('currentColor');
    expect(svg).toContain('font-family=');
  });

  it('publish their data as CSV, quoted where needed', () => {
    const csv = toCsv(figure('data-counts'), result);
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe('split,class,count');
    expect(lines.reduce((s, l) => s + Number(l.split(',')[2]), 0)).toBe(result.dataset.counts.reduce((s, c) => s + c.count, 0));
    expect(toCsv({ ...FIGURES[0], rows: () => [{ a: 'x,"y"', b: 1 }] }, result)).toBe('a,b\n"x,""y""",1\n');
  });

  it('show classes by their dataset names, outliers in a colour of their own', () => {
    expect(className(result, 7)).toBe('7');
    if (result.dataset.probes.includes(-1)) {
      expect(rowsOf('data-counts').map((d) => d.class)).toContain(result.dataset.names['-1']);
      expect(renderSvg(figure('ood-auc'), result)).toContain(result.dataset.names['-1']);
    }
    const digits = Array.from({ length: 10 }, (_, d) => classColor(d).toLowerCase());
    expect(new Set(digits).size).toBe(10);
    expect(digits).not.toContain(classColor(-1).toLowerCase());
  });

  it('lay out path flows so that every band starts and ends inside its clusters', () => {
    const { nodes, links } = flowLayout(result.runs[0]);
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

  it('order the clusters of each column so that bands cross no more than in cluster-number order', () => {
    const run = result.runs[0];
    const ordered = flowLayout(run);
    // The same layout with every column in number order: the starting point of the sweeps.
    const byNumber = {
      ...ordered,
      nodes: ordered.nodes.map((n) => ({ ...n, rank: [...ordered.nodes].filter((m) => m.layer === n.layer && m.cluster < n.cluster).length })),
    };
    expect(crossings(ordered)).toBeLessThanOrEqual(crossings(byNumber));
    // A column's ranks are 0..k-1 and its blocks are stacked in rank order.
    for (const layer of new Set(ordered.nodes.map((n) => n.layer))) {
      const col = ordered.nodes.filter((n) => n.layer === layer).sort((a, b) => a.rank - b.rank);
      expect(col.map((n) => n.rank)).toEqual(col.map((_, i) => i));
      for (let i = 1; i < col.length; i++) expect(col[i].y1).toBeGreaterThan(col[i - 1].y2);
    }
  });

  it("draw every figure's key inside its standalone SVG: each class by name, and colour ramps", () => {
    for (const def of figuresFor(result)) {
      const svg = standaloneSvg(renderSvg(def, result));
      const key = def.key?.(result, 'en');
      if (!key) continue;
      const g = /<g[^>]*class="figure-key"[\s\S]*?<\/g>/.exec(svg)?.[0] ?? '';
      expect(g, def.name).not.toBe('');
      for (const item of key.items ?? []) expect(g, `${def.name}: ${item.label}`).toContain(`>${item.label.replace(/&/g, '&amp;')}<`);
      if (key.ramp) expect(g, def.name).toContain(key.ramp.label);
    }
    // Figures coloured by class name every class of the experiment, probes marked as such.
    const flow = standaloneSvg(renderSvg(figure('paths-flow'), result));
    for (const l of result.dataset.classes) expect(flow).toContain(`>${className(result, l)}<`);
    for (const l of result.dataset.probes) expect(flow).toContain(`>${className(result, l)} (${l < 0 ? 'far outlier' : 'unseen'})<`);
    // The same figure in French: its key, axes and numbers in French.
    const fr = renderSvg(figure('paths-flow'), result, 'fr');
    for (const l of result.dataset.probes) expect(fr).toContain(`>${className(result, l)} (${l < 0 ? 'très éloignée' : 'inconnue'})<`);
    expect(fr).toContain('Couche cachée');
  });

  it('draw every figure in French: its title, caption, key and numbers with a decimal comma', () => {
    for (const def of figuresFor(result)) {
      const svg = renderSvg(def, result, 'fr');
      expect(svg, def.name).toContain(`aria-label="${def.title.fr.replace(/\u202F/g, '\u202F')}"`);
      expect(def.caption(result, 'fr'), def.name).not.toMatch(/undefined|NaN|\d\.\d|\b(the|of|and|with)\b/);
      const key = def.key?.(result, 'fr');
      for (const item of key?.items ?? []) expect(item.label, def.name).not.toMatch(/\b(probe|the|of)\b/);
    }
    const separation = renderSvg(figure('separation'), result, 'fr');
    expect(separation).toMatch(/>0,\d+</);
    expect(separation).not.toMatch(/>0\.\d+</);
  });

  it('write each figure as a one-page vector PDF with its font embedded', async () => {
    for (const name of ['separation', 'paths-flow', 'cluster-exemplars']) {
      const pdf = await svgToPdf(standaloneSvg(renderSvg(figure(name), result)), { title: name, date: '2026-01-02' });
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-'), name).toBe(true);
      expect(text.match(/\/Type \/Page\b/g), name).toHaveLength(1);
      expect(text, name).toMatch(/\/FontFile2 \d+ 0 R/);
      expect(text, name).toMatch(/\/BaseFont \/[A-Z]{6}\+Arimo-Regular/);
      // Same input, same bytes: the date is the build's, the font subset's tag is derived.
      expect(pdf.equals(await svgToPdf(standaloneSvg(renderSvg(figure(name), result)), { title: name, date: '2026-01-02' })), name).toBe(true);
    }
  });

  it('encode digits as valid PNG', () => {
    const uri = greyPngDataUri(new Uint8Array(4).fill(255), 2, 2);
    const png = Buffer.from(uri.split(',')[1], 'base64');
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(png.readUInt32BE(16)).toBe(2);
  });
});

describe('figure rows recompute from the result', () => {
  it('training curves: every seed, every epoch', () => {
    const rows = renders('training-accuracy');
    expect(rows).toHaveLength(2 * result.runs.reduce((s, r) => s + r.training.history.length, 0));
    const run = result.runs[1];
    expect(one(rows, { seed: run.seed, epoch: 1, split: 'test' }).value).toBe(run.training.history[0].testAccuracy);
  });

  it('mean-images: the mean ink of each class image', () => {
    const rows = renders('mean-images');
    const m = result.dataset.meanImages[0];
    const px = decodePixels(m.pixels);
    expect(one(rows, { class: className(result, m.label) }).meanInk).toBeCloseTo(mean([...px]) / 255, 12);
  });

  it('confusion: counts summed over seeds, shares of the row', () => {
    const rows = renders('confusion');
    const [a, b] = result.dataset.classes;
    const count = (x: number, y: number) =>
      result.runs.reduce((s, r) => s + (r.training.confusion.find((c) => c.actual === x && c.predicted === y)?.count ?? 0), 0);
    const cell = one(rows, { actual: className(result, a), predicted: className(result, b) });
    expect(cell.count).toBe(count(a, b));
    expect(cell.rowShare).toBeCloseTo(count(a, b) / (count(a, a) + count(a, b)), 12);
  });

  it('separation: the per-layer curves across seeds', () => {
    const rows = renders('separation');
    expect(rows).toHaveLength(3 * result.runs[0].layers.length);
    const layer = result.runs[0].layers[1];
    expect(one(rows, { layer: layer.name, statistic: 'linear-probe accuracy' }).mean).toBeCloseTo(mean(result.runs.map((r) => r.layers[1].probeAccuracy)), 12);
    expect(one(rows, { layer: layer.name, statistic: 'NMI (k = classes)' }).mean).toBeCloseTo(mean(result.runs.map((r) => r.layers[1].atClasses.nmi)), 12);
  });

  it('cka: one cell per pair of layers', () => {
    const rows = renders('cka');
    const layers = result.runs[0].layers;
    expect(rows).toHaveLength(layers.length ** 2);
    expect(one(rows, { layerA: layers[1].name, layerB: layers[2].name }).cka).toBe(result.runs[0].cka[1][2]);
  });

  it('signatures: class mean per neuron, specific neurons marked', () => {
    const rows = renders('signatures');
    const layer = result.runs[0].layers.find((l) => l.kind === 'hidden')!;
    const c = layer.classes[1];
    const n = c.specific[0];
    const cell = one(rows, { layer: layer.name, neuron: n, class: className(result, c.label) });
    expect(cell.mean).toBe(c.mean[n]);
    expect(cell.specific).toBe(true);
    expect(rows.filter((d) => d.layer === layer.name && d.class === className(result, c.label) && d.specific)).toHaveLength(c.specific.length);
  });

  it('specific-overlap: Jaccard and cosine per class pair, averaged over seeds', () => {
    const rows = renders('specific-overlap');
    const li = result.runs[0].layers.findIndex((l) => l.kind === 'hidden');
    const name = result.runs[0].layers[li].name;
    const jaccard = rows.filter((d) => d.layer === name && String(d.measure).startsWith('Jaccard'));
    expect(jaccard).toHaveLength(1);
    expect(jaccard[0].mean).toBeCloseTo(mean(result.runs.map((r) => r.layers[li].pairs[0].jaccard!)), 12);
    expect(jaccard[0].permutationP).toBe(Math.max(...result.runs.map((r) => r.layers[li].permutation!.p)));
  });

  it('ood-auc: AUC per probe, layer and score across seeds, and the baselines', () => {
    const rows = renders('ood-auc');
    const probe = result.dataset.probes[0];
    const li = result.runs[0].layers.length - 2;
    const auc = mean(result.runs.map((r) => r.layers[li].ood.find((o) => o.probe === probe && o.score === 'mahalanobis')!.auc));
    expect(one(rows, { probe: className(result, probe), layer: result.runs[0].layers[li].name, score: 'Mahalanobis distance' }).mean).toBeCloseTo(auc, 12);
    expect(one(rows, { probe: className(result, probe), score: 'max softmax' }).mean).toBeCloseTo(mean(result.runs.map((r) => r.probes[0].baselines.msp)), 12);
  });

  it('ood-roc and ood-histograms: the first seed curves, point for point', () => {
    const curves = result.runs[0].oodCurves;
    expect(renders('ood-roc')).toHaveLength(curves.reduce((s, c) => s + c.roc.length, 0));
    const hist = renders('ood-histograms');
    expect(hist).toHaveLength(curves.reduce((s, c) => s + c.histogram.length, 0));
    const c = curves[0];
    const shares = hist.filter(
      (d) => d.layer === c.layer && d.probe === className(result, c.probe) && d.group === 'probe' && d.score === 'Mahalanobis distance',
    );
    expect(mean(shares.map((d) => Number(d.share))) * shares.length).toBeCloseTo(1, 9);
  });

  it('seed-stability: agreement between seeds per layer', () => {
    const rows = renders('seed-stability');
    const s = result.stability[0];
    expect(one(rows, { layer: s.layer, measure: 'cluster ARI' }).mean).toBe(s.clusterAri.mean);
    expect(one(rows, { layer: s.layer, measure: 'linear CKA' }).high).toBe(s.cka.interval?.[1] ?? s.cka.mean);
    // Intervals of bounded measures stay inside their bounds.
    for (const d of rows) expect(Number(d.high)).toBeLessThanOrEqual(1);
  });
});

describe('figure references in write-ups', () => {
  it('fail with the page and the id when the figure does not exist', async () => {
    process.env.CHEMINS_RESULTS = dir;
    process.env.CHEMINS_EXPERIMENTS = tempDir();
    const { writeFileSync } = await import('node:fs');
    // The site shows a result only while it matches its file: the file is the result's own spec (JSON is YAML).
    writeFileSync(`${process.env.CHEMINS_EXPERIMENTS}/tiny.yaml`, JSON.stringify(result.spec));
    const { resolveFigure } = await import('../src/site/figure-ref.ts');
    expect(resolveFigure('tiny/purity', '/report/')).toMatchObject({ id: 'tiny/purity', number: FIGURES.findIndex((f) => f.name === 'purity') + 1 });
    expect(() => resolveFigure('tiny/nope', '/report/')).toThrow(/\[FigureNotFound\] \/report\/: figure "tiny\/nope" names figure "nope"/);
    expect(() => resolveFigure('other/purity', '/report/')).toThrow(/names experiment "other", which has no result/);
    expect(() => resolveFigure('purity', '/report/')).toThrow(/<experiment>\/<figure>/);
    expect(readFileSync(`${dir}/tiny.json`, 'utf8')).toContain('"id":"tiny"');
  });
});

describe('projections, exemplars and the specific network', () => {
  const variance = (xs: number[]) => {
    const m = mean(xs);
    return xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1);
  };

  it('are stored for the first seed only, and their figures step aside without them', () => {
    expect(result.runs[0].projections).toBeDefined();
    expect(result.runs[0].exemplars).toBeDefined();
    for (const run of result.runs.slice(1)) {
      expect(run.projections).toBeUndefined();
      expect(run.exemplars).toBeUndefined();
    }
    const { projections: _p, exemplars: _e, ...old } = result.runs[0];
    const names = figuresFor({ ...result, runs: [old, ...result.runs.slice(1)] }).map((d) => d.name);
    for (const absent of ['projections-pca', 'projections-umap', 'cluster-exemplars']) expect(names).not.toContain(absent);
    expect(names).toContain('specific-network');
    for (const name of ['projections-pca', 'projections-umap', 'cluster-exemplars', 'specific-network'])
      expect(figuresFor(bare).map((d) => d.name)).toContain(name);
  });

  it('projections: a seeded sample of each class, every layer mapped by PCA with its explained variance', () => {
    const p = result.runs[0].projections!;
    const count = (split: string, label: number) => result.dataset.counts.find((c) => c.split === split && c.label === label)?.count ?? 0;
    for (const label of result.dataset.classes)
      expect(p.rows.filter((d) => d.split === 'test' && d.label === label)).toHaveLength(Math.min(150, count('test', label)));
    for (const label of result.dataset.probes)
      expect(p.rows.filter((d) => d.split === 'probe' && d.label === label)).toHaveLength(Math.min(150, count('probe', label)));
    const layers = result.runs[0].layers.map((l) => l.name);
    const pcaMaps = mapsOf(result, 'pca');
    expect(pcaMaps.map((m) => m.layer)).toEqual(layers);
    expect(mapsOf(result, 'umap').map((m) => m.layer)).toEqual(layers);
    for (const m of pcaMaps) {
      const [e1, e2] = m.explained!;
      expect(e1).toBeGreaterThanOrEqual(e2);
      expect(e1 + e2).toBeLessThanOrEqual(1 + 1e-9);
      // Principal components: centred, the first with the larger spread, and the two uncorrelated.
      expect(Math.abs(mean(m.x))).toBeLessThan(1e-3 * Math.max(...m.x.map(Math.abs)));
      expect(variance(m.x)).toBeGreaterThanOrEqual(variance(m.y) * (1 - 1e-3));
      const cov = m.x.reduce((s, x, i) => s + (x - mean(m.x)) * (m.y[i] - mean(m.y)), 0) / (m.x.length - 1);
      expect(Math.abs(cov)).toBeLessThan(1e-3 * Math.sqrt(variance(m.x) * Math.max(variance(m.y), 1e-12)) + 1e-9);
    }
    const rows = renders('projections-pca');
    expect(rows).toHaveLength(p.rows.length * layers.length);
    const m = pcaMaps[1];
    const i = p.rows.findIndex((d) => d.split === 'probe');
    expect(
      one(
        rows.filter((_d, k) => k === p.rows.length + i),
        { layer: m.layer },
      ),
    ).toMatchObject({ x: m.x[i], y: m.y[i], split: 'probe', class: className(result, p.rows[i].label) });
    expect(renderSvg(figure('projections-pca'), result)).toContain(`PC1 (${(100 * m.explained![0]).toFixed(1)} % of variance)`);
    expect(figure('projections-pca').caption(result, 'en')).toContain(`${m.layer} ${Math.round(100 * (m.explained![0] + m.explained![1]))} %`);
    const umapRows = renders('projections-umap');
    expect(umapRows).toHaveLength(p.rows.length * layers.length);
    expect(figure('projections-umap').caption(result, 'en')).toContain(`${p.umap.neighbours} exact nearest neighbours`);
  });

  it('cluster-exemplars: up to 8 trained inputs per cluster of every layer, with the cluster size', () => {
    const ex = result.runs[0].exemplars!;
    const rows = renders('cluster-exemplars');
    expect(rows).toHaveLength(ex.clusters.reduce((s, c) => s + c.images.length, 0));
    for (const layer of result.runs[0].layers) {
      const clusters = ex.clusters.filter((c) => c.layer === layer.name);
      expect(clusters.map((c) => c.cluster)).toEqual(Array.from({ length: layer.k }, (_, i) => i));
      for (const c of clusters) {
        expect(c.images.length).toBeLessThanOrEqual(8);
        expect(new Set(c.images).size).toBe(c.images.length);
        const size = layer.clusters.filter((m) => m.cluster === c.cluster).reduce((s, m) => s + m.count, 0);
        const shown = rows.filter((d) => d.layer === layer.name && d.cluster === `c${c.cluster}`);
        expect(shown.map((d) => d.image)).toEqual(c.images);
        for (const d of shown) expect(d.clusterInputs).toBe(size);
      }
    }
    // Probes are never examples; every image is a whole digit.
    for (const img of ex.images) {
      expect(result.dataset.classes).toContain(img.label);
      expect(decodePixels(img.pixels)).toHaveLength(result.dataset.width * result.dataset.height);
    }
    expect(renderSvg(figure('cluster-exemplars'), result)).toContain('data:image/png;base64,');
  });

  it('specific-network: every neuron of each hidden layer per class, the specific ones marked in path order', () => {
    const rows = renders('specific-network');
    for (const layer of result.runs[0].layers.filter((l) => l.kind === 'hidden')) {
      expect(layer.units).toBeLessThanOrEqual(MAX_DRAWN);
      for (const c of layer.classes) {
        const mine = rows.filter((d) => d.layer === layer.name && d.class === className(result, c.label));
        expect(mine).toHaveLength(layer.units);
        const marked = mine.filter((d) => d.specific).sort((a, b) => Number(a.rank) - Number(b.rank));
        expect(marked.map((d) => d.neuron)).toEqual(c.specific);
        for (const d of marked) expect(d.shared).toBe(layer.classes.some((o) => o.label !== c.label && o.specific.includes(Number(d.neuron))));
      }
    }
    // A wide layer is cut to the neurons ranked highest on any path.
    const wide = {
      ...result.runs[0].layers[1],
      units: 200,
      classes: [{ ...result.runs[0].layers[1].classes[0], specific: Array.from({ length: 60 }, (_, i) => 199 - i) }],
    };
    const drawn = drawnNeurons(wide);
    expect(drawn).toHaveLength(MAX_DRAWN);
    expect([...drawn].sort((a, b) => b - a)).toEqual(Array.from({ length: MAX_DRAWN }, (_, i) => 199 - i));
  });
});
