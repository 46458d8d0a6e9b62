import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FieldError } from '../spec/errors.ts';
import { adapterKey, adapterLine, probeAdapter, type Adapter } from './adapter.ts';
import { WASM_KERNELS_VERSION } from './wasm-kernels-version.ts';

// The engine a backend choice resolves to on this machine, and the key it
// gives a result's hash, found without loading TensorFlow.js or any engine:
// what a build that only checks its stored results needs (index.ts starts
// the engine itself).

export type BackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

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
