import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FieldError } from '../spec/errors.ts';
import { adapterKey, adapterLine, probeAdapter, type Adapter } from './adapter.ts';
import { registerMissingWasmKernels, WASM_KERNELS_VERSION } from './wasm-kernels.ts';
import { lostDevice, startWebgpu } from './webgpu.ts';

// The engine behind TensorFlow.js. Native TensorFlow bindings are optional
// dependencies that install only where libtensorflow can be downloaded:
// they are looked for at run time, and their absence is never an error.
// WebGPU (Dawn, from the `webgpu` package) installs from npm alone and runs
// on whatever Vulkan driver the machine has: `auto` takes it on a hardware
// adapter only, never on a software one (lavapipe, SwiftShader).

export type BackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

export type { Adapter } from './adapter.ts';

export interface Engine {
  tf: typeof tf;
  backend: string;
  reason: string;
  /** The WebGPU adapter, on the webgpu engine. */
  adapter?: Adapter;
}

async function tryNative(): Promise<string | null> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      return pkg;
    } catch {
      // not installed here
    }
  }
  return null;
}

const require = createRequire(import.meta.url);

function installed(pkg: string): string | null {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/** The engine a choice resolves to on this machine, found without loading any engine (WebGPU's adapter is probed in a child process). */
export interface Resolved {
  backend: 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
  reason: string;
  /** The native package, for tensorflow. */
  native?: string;
  /** The adapter, for webgpu; absent when webgpu was asked for and there is none (`missing` says why). */
  adapter?: Adapter;
  missing?: { reason: string; hint: string };
}

export function resolveBackend(choice: BackendChoice): Resolved {
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = NATIVE.find((pkg) => installed(pkg));
    if (native) return { backend: 'tensorflow', native, reason: `${native} is installed` };
    if (choice === 'tensorflow') return { backend: 'tensorflow', reason: 'asked for tensorflow' };
  }
  if (choice === 'webgpu') {
    const probe = probeAdapter();
    if (!probe.ok) return { backend: 'webgpu', reason: 'asked for webgpu', missing: { reason: probe.reason, hint: probe.hint } };
    return { backend: 'webgpu', reason: `asked for webgpu; adapter ${adapterLine(probe.adapter)}`, adapter: probe.adapter };
  }
  if (choice === 'auto') {
    const probe = probeAdapter();
    if (probe.ok && !probe.adapter.software)
      return {
        backend: 'webgpu',
        reason: `no native TensorFlow binding is installed; WebGPU has a hardware adapter: ${adapterLine(probe.adapter)}`,
        adapter: probe.adapter,
      };
    const gpu = probe.ok
      ? `WebGPU's only adapter is a software one, which auto never takes (${adapterLine(probe.adapter)})`
      : `WebGPU has no adapter here (${probe.reason})`;
    return { backend: 'wasm', reason: `no native TensorFlow binding is installed, and ${gpu}; wasm is the fastest engine shipped with Chemins` };
  }
  return { backend: choice, reason: `asked for ${choice}` };
}

/**
 * The engine a choice will run on, and the versions that shape its numbers,
 * found without loading any engine: it is part of a result's hash, so a
 * result computed on another engine, version or GPU is never reused as this
 * one's.
 */
export function engineKey(choice: BackendChoice): string {
  const tfjs = installed('@tensorflow/tfjs') ?? 'unknown';
  const r = resolveBackend(choice);
  switch (r.backend) {
    case 'tensorflow':
      return r.native ? `tensorflow ${r.native}@${installed(r.native)} tfjs@${tfjs}` : `tensorflow (missing) tfjs@${tfjs}`;
    case 'webgpu':
      return `webgpu @tensorflow/tfjs-backend-webgpu@${installed('@tensorflow/tfjs-backend-webgpu') ?? 'unknown'} webgpu@${installed('webgpu') ?? 'unknown'} tfjs@${tfjs} ${r.adapter ? adapterKey(r.adapter) : 'adapter (missing)'}`;
    case 'cpu':
      return `cpu tfjs@${tfjs}`;
    case 'wasm':
      return `wasm @tensorflow/tfjs-backend-wasm@${installed('@tensorflow/tfjs-backend-wasm') ?? 'unknown'} tfjs@${tfjs} kernels@${WASM_KERNELS_VERSION}`;
  }
}

/** The error of `webgpu` asked for where there is no adapter: what is missing, and what to install. */
export function noAdapter(missing: { reason: string; hint: string }): FieldError {
  return new FieldError(
    'training.backend',
    `webgpu was asked for, but there is no WebGPU adapter here: ${missing.reason}`,
    `${missing.hint} Or run with --backend wasm.`,
  );
}

let current: Engine | null = null;

export async function selectEngine(choice: BackendChoice = 'auto'): Promise<Engine> {
  const resolved = resolveBackend(choice);
  if (current && current.backend === resolved.backend) return current;
  const backend = resolved.backend;
  let reason = resolved.reason;
  let adapter: Adapter | undefined;
  if (backend === 'tensorflow') {
    const native = await tryNative();
    if (native && (await tf.setBackend('tensorflow'))) reason = choice === 'auto' ? `${native} is installed` : `asked for tensorflow (${native})`;
    else if (choice === 'tensorflow') {
      throw new FieldError(
        'training.backend',
        'tensorflow was asked for, but neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node can be imported here',
        'Install one of them where libtensorflow can be downloaded, or run with --backend auto.',
      );
    } else {
      // Installed but broken (its native library failed to load): the next engine down.
      return selectFallback(`${resolved.native} is installed but failed to load`);
    }
  } else if (backend === 'webgpu') {
    if (resolved.missing) throw noAdapter(resolved.missing);
    adapter = await startWebgpu(tf);
    // The hash was made from the probe's adapter: a different one here would record one GPU under another's hash.
    if (adapterKey(adapter) !== adapterKey(resolved.adapter!)) {
      throw new FieldError(
        'training.backend',
        `the WebGPU adapter changed while starting: probed ${adapterLine(resolved.adapter!)}, got ${adapterLine(adapter)}`,
        'Run the build again.',
      );
    }
  } else {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`the ${backend} backend failed to initialise`);
    if (backend === 'wasm') registerMissingWasmKernels(tf);
  }
  await tf.ready();
  current = { tf, backend: tf.getBackend(), reason, ...(adapter ? { adapter } : {}) };
  return current;
}

async function selectFallback(why: string): Promise<Engine> {
  await tf.setBackend('wasm');
  registerMissingWasmKernels(tf);
  await tf.ready();
  current = { tf, backend: 'wasm', reason: `${why}; wasm is the fastest engine shipped with Chemins` };
  return current;
}

/**
 * What to throw for a failure while an experiment ran on this engine: when
 * the WebGPU device was lost, an error naming the loss (the engine then
 * starts afresh for the next experiment), else the failure itself.
 */
export async function engineFailure(error: unknown): Promise<unknown> {
  if (current?.backend !== 'webgpu') return error;
  const lost = await lostDevice(tf);
  if (!lost) return error;
  current = null;
  return lost;
}
