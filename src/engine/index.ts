import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { registerMissingWasmKernels, WASM_KERNELS_VERSION } from './wasm-kernels.ts';

// The engine behind TensorFlow.js. Native TensorFlow bindings are optional
// dependencies that install only where libtensorflow can be downloaded:
// they are looked for at run time, and their absence is never an error.

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface Engine {
  tf: typeof tf;
  backend: string;
  reason: string;
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

/**
 * The engine a choice will run on, and the versions that shape its numbers,
 * found without loading any engine: it is part of a result's hash, so a
 * result computed on another engine or version is never reused as this one's.
 */
export function engineKey(choice: BackendChoice): string {
  const tfjs = installed('@tensorflow/tfjs') ?? 'unknown';
  if (choice === 'auto' || choice === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      const v = installed(pkg);
      if (v) return `tensorflow ${pkg}@${v} tfjs@${tfjs}`;
    }
    if (choice === 'tensorflow') return `tensorflow (missing) tfjs@${tfjs}`;
  }
  if (choice === 'cpu') return `cpu tfjs@${tfjs}`;
  return `wasm @tensorflow/tfjs-backend-wasm@${installed('@tensorflow/tfjs-backend-wasm') ?? 'unknown'} tfjs@${tfjs} kernels@${WASM_KERNELS_VERSION}`;
}

let current: Engine | null = null;

export async function selectEngine(choice: BackendChoice = 'auto'): Promise<Engine> {
  if (current && (choice === 'auto' || current.backend === choice)) return current;
  let backend: string;
  let reason: string;
  if (choice === 'auto' || choice === 'tensorflow') {
    const native = await tryNative();
    if (native && (await tf.setBackend('tensorflow'))) {
      backend = 'tensorflow';
      reason = `${native} is installed`;
    } else if (choice === 'tensorflow') {
      throw new Error('backend "tensorflow" was asked for, but neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node can be imported here');
    } else {
      backend = 'wasm';
      reason = 'no native TensorFlow binding is installed; wasm is the fastest engine shipped with Chemins';
    }
  } else {
    backend = choice;
    reason = `asked for ${choice}`;
  }
  if (backend !== 'tensorflow') {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`the ${backend} backend failed to initialise`);
    if (backend === 'wasm') registerMissingWasmKernels(tf);
  }
  await tf.ready();
  current = { tf, backend: tf.getBackend(), reason };
  return current;
}
