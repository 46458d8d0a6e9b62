import type * as tfType from '@tensorflow/tfjs';
import { FieldError } from '../spec/errors.ts';
import { ADAPTER_OPTIONS, isSoftware, type Adapter } from './adapter.ts';

// TF.js on WebGPU in Node: Dawn (the `webgpu` package) provides `navigator.gpu`,
// and `@tensorflow/tfjs-backend-webgpu` runs on it. Both are loaded only when
// an experiment trains on WebGPU. The backend's own factory is replaced by
// one that keeps the device, so that a lost device is seen and named, and a
// lost device's backend can be dropped and a fresh one made for the next
// experiment.

/* Just what Chemins uses of WebGPU's types (Node's own types have none). */
interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter?: boolean;
}
interface GpuDevice {
  lost: Promise<{ reason: string; message: string }>;
  limits: Record<string, number>;
  destroy(): void;
}
interface GpuAdapter {
  info: GpuAdapterInfo;
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(descriptor: object): Promise<GpuDevice>;
}
interface Gpu {
  requestAdapter(options: object): Promise<GpuAdapter | null>;
}

interface DeviceState {
  device: GpuDevice;
  adapter: Adapter;
  lost: { reason: string; message: string } | null;
}

let state: DeviceState | null = null;
let backendClass: (new (device: GpuDevice, info: GpuAdapterInfo) => tfType.KernelBackend) | null = null;

/** Loads Dawn and the TF.js backend once per process (the backend reads `navigator.gpu` when imported). */
async function load(): Promise<void> {
  if (backendClass) return;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  const { create, globals } = (await import('webgpu')) as unknown as { create: (flags: string[]) => Gpu; globals: Record<string, unknown> };
  for (const [name, value] of Object.entries(globals))
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  // Node's `navigator` has getters only: the property is defined, not assigned.
  Object.defineProperty(globalThis.navigator, 'gpu', { value: create([]), configurable: true });
  const backend = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as { WebGPUBackend: typeof backendClass };
  backendClass = backend.WebGPUBackend;
}

const gpu = () => (globalThis.navigator as unknown as { gpu: Gpu }).gpu;

/** The device TF.js's own factory would make (same features and limits), with its loss watched. */
async function makeBackend(): Promise<tfType.KernelBackend> {
  const adapter = await gpu().requestAdapter(ADAPTER_OPTIONS);
  if (!adapter) throw new Error('Dawn found no WebGPU adapter');
  const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features.has(f));
  const limits = [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
  ];
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits: Object.fromEntries(limits.map((l) => [l, adapter.limits[l]])) });
  const info = adapter.info;
  const current: DeviceState = {
    device,
    adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, software: isSoftware(info) },
    lost: null,
  };
  state = current;
  void device.lost.then((l) => (current.lost = { reason: l.reason, message: l.message }));
  return new backendClass!(device, info);
}

/** Registers Chemins' factory for the `webgpu` backend, in place of any before it (TF.js's, or a lost device's). */
function register(tf: typeof tfType): void {
  if (tf.findBackendFactory('webgpu')) {
    try {
      tf.removeBackend('webgpu');
    } catch {
      // A lost device's backend may fail to dispose: it is dropped all the same.
      const engine = tf.engine() as unknown as {
        registry: Record<string, unknown>;
        registryFactory: Record<string, unknown>;
        backendName: string | null;
        backendInstance: unknown;
        pendingBackendInit: unknown;
      };
      delete engine.registry.webgpu;
      delete engine.registryFactory.webgpu;
      if (engine.backendName === 'webgpu') Object.assign(engine, { backendName: null, backendInstance: null, pendingBackendInit: null });
    }
  }
  // Priority 0: never TF.js's default, only taken when asked for by name.
  tf.registerBackend('webgpu', makeBackend, 0);
}

/** Puts TF.js on WebGPU; the adapter it got. */
export async function startWebgpu(tf: typeof tfType): Promise<Adapter> {
  await load();
  if (!state || state.lost || !tf.findBackend('webgpu')) register(tf);
  if (!(await tf.setBackend('webgpu')) || !state)
    throw new FieldError(
      'training.backend',
      'the WebGPU backend failed to start on its adapter',
      'Run with --backend wasm, or see the README on WebGPU drivers.',
    );
  return state.adapter;
}

/** The device TF.js computes on, when it is on WebGPU (the limits of its buffers; tests destroy it to lose it). */
export const webgpuDevice = (): GpuDevice | null => state?.device ?? null;

/**
 * After a failure on WebGPU: when the device was lost, the error that fails
 * the experiment in its place, and the device is forgotten, so that the next
 * experiment gets a fresh one. Null when the device is well (the failure was
 * something else). Dawn may report the loss just after the failure it caused:
 * it is waited for, briefly.
 */
export async function lostDevice(tf: typeof tfType, waitMs = 2000): Promise<FieldError | null> {
  const current = state;
  if (!current) return null;
  if (!current.lost) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([current.device.lost, new Promise((done) => (timer = setTimeout(done, waitMs)))]);
    clearTimeout(timer);
    // The loss handler runs on the same turn as the race ends: let it.
    await Promise.resolve();
  }
  if (!current.lost) return null;
  const { reason, message } = current.lost;
  if (state === current) state = null;
  register(tf);
  return new FieldError(
    'training.backend',
    `the GPU device was lost while this experiment ran on WebGPU (${reason}${message ? `: ${message.trim()}` : ''}); nothing of it was written`,
    'A lost device is a driver reset, the GPU taken by another process, or out of GPU memory: run the build again, or with --backend wasm. The other experiments are not affected.',
  );
}
