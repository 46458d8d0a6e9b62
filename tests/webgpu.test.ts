import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSoftware, probeAdapter } from '../src/engine/adapter.ts';
import { resolveBackend, selectEngine } from '../src/engine/index.ts';
import { webgpuDevice } from '../src/engine/webgpu.ts';
import { loadData } from '../src/data/index.ts';
import { trainModel } from '../src/model/train.ts';
import { runExperiment } from '../src/pipeline/run.ts';
import { runBench } from '../scripts/bench/run.ts';
import { FieldError } from '../src/spec/errors.ts';
import { seededRandom } from '../src/util/random.ts';
import { tempDir, tinySpec } from './helpers.ts';

// The WebGPU engine on this machine's adapter: a GPU where there is one,
// else Mesa's lavapipe (a software Vulkan on the CPU; Debian's
// mesa-vulkan-drivers from bookworm-backports, which .ci/run installs).
// Where there is no adapter at all the suite says so in one line and skips
// the parts that need one; in CI it must run. Kept small: lavapipe trains a
// few hundred samples a second and compiles each shader once per process.

const probe = probeAdapter();
if (!probe.ok) {
  if (process.env.CI) throw new Error(`WebGPU: no adapter, and CI must run this suite: ${probe.reason}. ${probe.hint}`);
  console.warn(`WebGPU tests that need an adapter skipped: ${probe.reason}`);
}

const random = seededRandom(14);
const values = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);

/** Largest difference relative to the reference's largest magnitude. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

type Inputs = Record<string, { values: Float32Array; shape: number[] }>;

/**
 * `f` on the engine `backend`: its output and its gradients with respect to
 * every input (of the sum of the output weighted by fixed random values, so
 * that every output reaches the gradient).
 */
async function run(backend: 'webgpu' | 'cpu', inputs: Inputs, f: (t: Record<string, Tensor>) => Tensor, weights: Float32Array) {
  const { tf } = await selectEngine(backend);
  expect(tf.getBackend()).toBe(backend);
  const names = Object.keys(inputs);
  const tensors = names.map((n) => tf.tensor(inputs[n].values, inputs[n].shape));
  const out = tf.tidy(() => f(Object.fromEntries(names.map((n, i) => [n, tensors[i]]))));
  const w = tf.tensor(weights, out.shape);
  const grads = tf.grads((...xs: Tensor[]) =>
    f(Object.fromEntries(names.map((n, i) => [n, xs[i]])))
      .mul(w)
      .sum(),
  )(tensors);
  const read = await Promise.all([out, ...grads].map((t) => t.data()));
  tf.dispose([...tensors, out, w, ...grads]);
  return { output: read[0], grads: Object.fromEntries(names.map((n, i) => [n, read[i + 1]])) };
}

async function parity(inputs: Inputs, f: Parameters<typeof run>[2], outputSize: number, tolerance = 1e-5) {
  const weights = values(outputSize);
  const gpu = await run('webgpu', inputs, f, weights);
  const cpu = await run('cpu', inputs, f, weights);
  expect(relativeError(gpu.output, cpu.output)).toBeLessThan(tolerance);
  for (const name of Object.keys(inputs)) expect(relativeError(gpu.grads[name], cpu.grads[name]), `gradient of ${name}`).toBeLessThan(tolerance);
}

describe.skipIf(!probe.ok)('the webgpu engine on this machine', () => {
  beforeAll(async () => {
    await selectEngine('webgpu');
  });

  it('computes a dense layer, its activation and its gradients as the cpu engine does', async () => {
    const [n, d, u] = [37, 50, 24];
    const inputs = { x: { values: values(n * d), shape: [n, d] }, w: { values: values(d * u, 0.3), shape: [d, u] }, b: { values: values(u, 0.1), shape: [u] } };
    const { tf } = await selectEngine('cpu');
    await parity(inputs, ({ x, w, b }) => tf.relu(tf.matMul(x, w).add(b)), n * u);
    // And through softmax cross-entropy, as training takes it.
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: n }, (_, i) => i % u),
        'int32',
      ),
      u,
    );
    const y = { values: (await labels.data()) as Float32Array, shape: [n, u] };
    labels.dispose();
    await parity({ ...inputs, y }, ({ x, w, b, y }) => tf.losses.softmaxCrossEntropy(y, tf.matMul(x, w).add(b)).reshape([1]), 1);
  });

  it('computes a conv layer with pooling and its gradients as the cpu engine does', async () => {
    const [n, h, c, f] = [3, 12, 2, 4];
    const inputs = {
      x: { values: values(n * h * h * c), shape: [n, h, h, c] },
      k: { values: values(3 * 3 * c * f, 0.5), shape: [3, 3, c, f] },
      b: { values: values(f, 0.1), shape: [f] },
    };
    const { tf } = await selectEngine('cpu');
    const conv = ({ x, k, b }: Record<string, Tensor>) =>
      tf.maxPool(tf.relu(tf.conv2d(x as Tensor4D, k as Tensor4D, 1, 'same').add(b)) as Tensor4D, 2, 2, 'valid');
    await parity(inputs, conv, n * (h / 2) * (h / 2) * f);
  });

  it('says which adapter it runs on, and auto takes it only when it is hardware', () => {
    if (!probe.ok) return;
    const asked = resolveBackend('webgpu');
    expect(asked.adapter).toEqual(probe.adapter);
    expect(asked.reason).toContain(probe.adapter.device);
    const auto = resolveBackend('auto');
    if (auto.native) return;
    expect(auto.backend).toBe(probe.adapter.software ? 'wasm' : 'webgpu');
    if (probe.adapter.software) expect(auto.reason).toMatch(/only adapter is a software one, which auto never takes/);
  });

  describe('an experiment with backend webgpu', () => {
    const dir = tempDir();
    const spec = tinySpec({ seeds: [1], analysis: { permutations: 20 } });
    let lost: unknown;
    beforeAll(async () => {
      // A device lost mid-training (here destroyed after the first epoch) fails that experiment, and nothing of it is written.
      const destroy = (record: { epoch: number }) => {
        if (record.epoch === 1) webgpuDevice()!.destroy();
      };
      lost = await runExperiment(
        { id: 'lost', file: 'experiments/lost.yaml', spec },
        { resultsDir: dir, backend: 'webgpu', training: { onEpoch: destroy } },
      ).catch((e) => e);
    });
    afterAll(async () => {
      await selectEngine('wasm');
    });

    it('fails alone when its device is lost, writing nothing', () => {
      expect(lost).toBeInstanceOf(FieldError);
      expect((lost as FieldError).field).toBe('training.backend');
      expect((lost as FieldError).message).toMatch(/GPU device was lost .*\(destroyed/);
      expect(existsSync(join(dir, 'lost.json'))).toBe(false);
      expect(existsSync(join(dir, 'lost'))).toBe(false);
    });

    it('trains on a fresh device after that, to the accuracy of the wasm engine, with the adapter recorded and hashed', async () => {
      const gpu = await runExperiment({ id: 'gpu', file: 'experiments/gpu.yaml', spec }, { resultsDir: dir, backend: 'webgpu' });
      const run = gpu.result.run;
      expect(run.backend).toBe('webgpu');
      expect(run.loop.loop).toBe('tfjs');
      expect(run.adapter).toEqual(probe.ok && probe.adapter);
      expect(run.backendReason).toContain(run.adapter!.description);
      expect(run.engine).toContain(JSON.stringify([run.adapter!.vendor, run.adapter!.architecture, run.adapter!.device, run.adapter!.description]));
      // The wasm engine on the same model, data and seed, in its default (fused) loop.
      const { tf } = await selectEngine('wasm');
      const wasm = await trainModel(tf, spec, loadData(spec.dataset), 1);
      wasm.model.dispose();
      const accuracy = gpu.result.runs[0].training.testAccuracy;
      expect(accuracy).toBeGreaterThanOrEqual(wasm.history.at(-1)!.testAccuracy - 0.02);
      expect(accuracy).toBeGreaterThanOrEqual(0.85);
      // Reused while the adapter is the same.
      const again = await runExperiment({ id: 'gpu', file: 'experiments/gpu.yaml', spec }, { resultsDir: dir, backend: 'webgpu' });
      expect(again.status).toBe('reused');
      expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual(['gpu.json']);
    });
  });
});

describe.skipIf(!probe.ok)('the benchmark on WebGPU', () => {
  it('reports section 1e, each row labelled with its engine and adapter, against wasm', async () => {
    const markdown = await runBench({ quick: true, inProcess: true, sections: ['webgpu'], cnn: false, fashionMlKMeans: false, log: () => {} });
    const section = markdown.slice(markdown.indexOf('## 1e. Training on WebGPU'));
    const rows = section.split('\n').filter((l) => l.startsWith('| MNIST'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(`webgpu: ${probe.ok && probe.adapter.description}`);
    expect(rows[1]).toMatch(/\| wasm \| tfjs \|.*\| 1\.00× \|/);
    expect(rows[2]).toMatch(/\| fused kernel \(wasm SIMD\) \| fused \|.*\| 1\.00× \|/);
    if (probe.ok && probe.adapter.software) expect(section).toContain('A software adapter computes on the CPU');
  });
});

describe('webgpu without an adapter', () => {
  it('tells hardware from software adapters by what Dawn says of them', () => {
    expect(isSoftware({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15', description: 'llvmpipe: Mesa 25.0.7' })).toBe(true);
    expect(
      isSoftware({ vendor: 'google', architecture: '', device: 'swiftshader', description: 'SwiftShader Device (Subzero)', isFallbackAdapter: true }),
    ).toBe(true);
    expect(isSoftware({ vendor: 'nvidia', architecture: 'hopper', device: '0x2335', description: 'NVIDIA: 550.54.15 550.54.15.0' })).toBe(false);
  });

  it('names what to install, runs nothing and writes nothing (--backend webgpu)', async () => {
    const root = tempDir();
    const results = join(root, 'results');
    const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: join(root, 'no-driver.json'), VK_DRIVER_FILES: join(root, 'no-driver.json') };
    delete env.CHEMINS_WEBGPU_PROBE;
    const out = await promisify(execFile)(process.execPath, ['scripts/experiments.ts', '--backend', 'webgpu', '--results', results, '--only', 'mnist-1-vs-7'], {
      env,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/\[NoWebGPUAdapter\] --backend webgpu: there is no WebGPU adapter on this machine; nothing was run or written\./);
    expect(out.stderr).toMatch(/no Vulkan driver|no Vulkan loader/);
    expect(out.stderr).toMatch(/mesa-vulkan-drivers/);
    expect(out.stderr).toMatch(/NVIDIA's driver/);
    expect(existsSync(results)).toBe(false);
  });

  it('fails an experiment that asks for webgpu, naming the field, and auto falls back to wasm', async () => {
    const saved = [process.env.VK_ICD_FILENAMES, process.env.VK_DRIVER_FILES];
    const root = tempDir();
    process.env.VK_ICD_FILENAMES = process.env.VK_DRIVER_FILES = join(root, 'no-driver.json');
    try {
      const asked = resolveBackend('webgpu');
      expect(asked.missing?.reason).toMatch(/no Vulkan driver|no Vulkan loader/);
      const auto = resolveBackend('auto');
      if (!auto.native) {
        expect(auto.backend).toBe('wasm');
        expect(auto.reason).toMatch(/WebGPU has no adapter here/);
      }
      const dir = join(root, 'results');
      const failed = await runExperiment(
        { id: 'gpu', file: 'experiments/gpu.yaml', spec: tinySpec({ training: { backend: 'webgpu' } }) },
        { resultsDir: dir },
      ).catch((e) => e);
      expect(failed).toBeInstanceOf(FieldError);
      expect(failed.field).toBe('training.backend');
      expect(failed.message).toMatch(/webgpu was asked for, but there is no WebGPU adapter here/);
      expect(failed.hint).toMatch(/mesa-vulkan-drivers/);
      expect(readdirSync(dir).filter((f) => f.startsWith('gpu'))).toEqual([]);
    } finally {
      for (const [i, name] of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES'].entries()) {
        if (saved[i] === undefined) delete process.env[name];
        else process.env[name] = saved[i];
      }
    }
  });
});
