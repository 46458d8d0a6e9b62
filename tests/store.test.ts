import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/pipeline/run.ts';
import { readResult } from '../src/results/read.ts';
import { sha256 } from '../src/util/hash.ts';
import { tempDir, tinySpec } from './helpers.ts';

describe('results store', () => {
  const dir = tempDir();
  const spec = tinySpec({ training: { epochs: 2, batchSize: 32 } });
  const run = (s = spec, force = false) => runExperiment({ id: 'tiny', file: 'experiments/tiny.yaml', spec: s }, { resultsDir: dir, backend: 'wasm', force });

  it('builds a result once, then reuses it without training', async () => {
    const first = await run();
    expect(first.status).toBe('built');
    expect(first.result.run.backend).toBe('wasm');
    let trained = false;
    const second = await runExperiment({ id: 'tiny', file: 'x', spec }, { resultsDir: dir, training: { onEpoch: () => (trained = true) } });
    expect(second.status).toBe('reused');
    expect(trained).toBe(false);
    expect(second.result.hash).toBe(first.result.hash);
    expect(second.result.run.createdAt).toBe(first.result.run.createdAt);
  });

  it('checks a text once: the same text is then only parsed, and gives the same result; a change to it is checked afresh', () => {
    const previous = process.env.CHEMINS_CACHE;
    process.env.CHEMINS_CACHE = tempDir('chemins-cache-');
    try {
      const facts = () =>
        readdirSync(process.env.CHEMINS_CACHE!, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.checked-result.fact'));
      const first = readResult(dir, 'tiny');
      expect(first.ok).toBe(true);
      expect(facts()).toHaveLength(1);
      const second = readResult(dir, 'tiny');
      expect(second).toEqual(first);
      // Under another name, the same text is checked again (and refused: it is another experiment's result).
      const text = readFileSync(join(dir, 'tiny.json'), 'utf8');
      const other = tempDir();
      writeFileSync(join(other, 'twin.json'), text);
      expect(readResult(other, 'twin')).toMatchObject({ ok: false, reason: expect.stringContaining('another experiment') });
      // A text with one value changed fails its seal, recorded or not.
      writeFileSync(join(other, 'tiny.json'), text.replace('"backend":"wasm"', '"backend":"cpu"'));
      expect(readResult(other, 'tiny')).toMatchObject({ ok: false, reason: expect.stringContaining('integrity') });
      // A key the schema does not know is dropped from the result, and such a text is never recorded: the shortcut would keep it.
      const { integrity: _, ...body } = JSON.parse(text);
      const extra = JSON.stringify({ ...body, unknownKey: 1 });
      writeFileSync(join(other, 'tiny.json'), `${extra.slice(0, -1)},"integrity":"${sha256(extra)}"}`);
      for (let i = 0; i < 2; i++) {
        const read = readResult(other, 'tiny');
        expect(read.ok && 'unknownKey' in read.result).toBe(false);
      }
      expect(facts()).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.CHEMINS_CACHE;
      else process.env.CHEMINS_CACHE = previous;
    }
  });

  it('writes the JSON atomically, with its heavy artifacts beside it and no temporary file left', () => {
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['tiny', 'tiny.json']);
    expect(readdirSync(join(dir, 'tiny')).sort()).toEqual(['input.f32', 'inputs.json', 'seed-1']);
    const artifacts = readdirSync(join(dir, 'tiny', 'seed-1')).sort();
    expect(artifacts).toEqual(['activations.json', 'hidden1.f32', 'hidden2.f32', 'inputs.json', 'model.json', 'output.f32', 'weights.bin']);
    const manifest = JSON.parse(readFileSync(join(dir, 'tiny', 'seed-1', 'activations.json'), 'utf8'));
    const hidden1 = manifest.layers.find((l: { layer: string }) => l.layer === 'hidden1');
    expect(hidden1.file).toBe('seed-1/hidden1.f32');
    expect(readFileSync(join(dir, 'tiny', hidden1.file)).byteLength).toBe(hidden1.rows * hidden1.columns * 4);
    const input = manifest.layers.find((l: { layer: string }) => l.layer === 'input');
    expect(readFileSync(join(dir, 'tiny', input.file)).byteLength).toBe(input.rows * 784 * 4);
  });

  it('keeps the result when only the title changes', async () => {
    const out = await run({ ...spec, title: 'A better title' });
    expect(out.status).toBe('relabelled');
    expect(readResult(dir, 'tiny').ok && (readResult(dir, 'tiny') as { result: { spec: { title: string } } }).result.spec.title).toBe('A better title');
  });

  it('recomputes when anything that determines the result changes', async () => {
    const changed = { ...spec, training: { ...spec.training, epochs: 3 } };
    const out = await run(changed);
    expect(out.status).toBe('built');
    expect(out.result.runs[0].training.history).toHaveLength(3);
    expect((await run(changed)).status).toBe('reused');
  });

  it('reuses the trained models when only the clustering or the analysis changes', async () => {
    const base = { ...spec, training: { ...spec.training, epochs: 3 } };
    const reanalysed = { ...base, analysis: { ...base.analysis, topPaths: 7 } };
    let trained = false;
    const out = await runExperiment(
      { id: 'tiny', file: 'x', spec: reanalysed },
      { resultsDir: dir, backend: 'wasm', training: { onEpoch: () => (trained = true) } },
    );
    expect(out.status).toBe('built');
    expect(out.why).toBe('its clustering or analysis changed');
    expect(trained).toBe(false);
    expect(out.result.run.reusedTraining).toEqual([1]);
    // The same numbers as a build from scratch.
    const fresh = await runExperiment({ id: 'tiny', file: 'x', spec: reanalysed }, { resultsDir: tempDir(), backend: 'wasm' });
    expect(fresh.result.run.reusedTraining).toEqual([]);
    expect(JSON.stringify(out.result.runs.map((r) => r.layers))).toBe(JSON.stringify(fresh.result.runs.map((r) => r.layers)));
    expect(out.result.answers).toEqual(fresh.result.answers);
  });

  it('rebuilds a result that is damaged, and on --force', async () => {
    writeFileSync(join(dir, 'tiny.json'), '{"half": ');
    expect(readResult(dir, 'tiny')).toMatchObject({ ok: false });
    const spec3 = { ...spec, training: { ...spec.training, epochs: 3 } };
    expect((await run(spec3)).status).toBe('built');
    expect((await run(spec3, true)).status).toBe('built');
    expect(existsSync(join(dir, 'tiny.json'))).toBe(true);
  });
});
