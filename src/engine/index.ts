import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FieldError } from '../spec/errors.ts';
import { adapterKey, adapterLine, type Adapter } from './adapter.ts';
import { noAdapter, resolveBackend, type BackendChoice } from './resolve.ts';
import { registerMissingWasmKernels } from './wasm-kernels.ts';
import { lostDevice, startWebgpu } from './webgpu.ts';

// The engine behind TensorFlow.js. Native TensorFlow bindings are optional
// dependencies that install only where libtensorflow can be downloaded:
// they are looked for at run time, and their absence is never an error.
// WebGPU (Dawn, from the `webgpu` package) installs from npm alone and runs
// on whatever Vulkan driver the machine has: `auto` takes it on a hardware
// adapter only, never on a software one (lavapipe, SwiftShader).

// Which engine a choice resolves to, and its key in a result's hash, are in
// resolve.ts, which loads no engine: a build that reuses every result never
// loads TensorFlow.js.
export { BACKENDS, engineKey, noAdapter, resolveBackend, type BackendChoice, type Resolved } from './resolve.ts';

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
