import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// The WebGPU adapter of this machine, found without loading Dawn into this
// process: a child process asks Dawn (the `webgpu` package) for the adapter
// and says what it got, so that a broken driver can never take a build down,
// and a process that trains on wasm never maps Dawn's 20 MB library.

/** A WebGPU adapter as Dawn describes it: what a result records and hashes. */
export interface Adapter {
  vendor: string;
  architecture: string;
  device: string;
  /** Dawn's description: the driver and its version (e.g. `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)`). */
  description: string;
  /** A CPU implementation (Mesa's lavapipe, SwiftShader): used only when `webgpu` is asked for, never by `auto`. */
  software: boolean;
}

export type Probe = { ok: true; adapter: Adapter } | { ok: false; reason: string; hint: string };

/** The options every request for an adapter uses, here and in the engine: the same machine gives the same adapter. */
export const ADAPTER_OPTIONS = { powerPreference: 'high-performance' } as const;

const require = createRequire(import.meta.url);

/** Whether Dawn's description of an adapter is a CPU implementation. */
export function isSoftware(info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean }): boolean {
  if (info.isFallbackAdapter) return true;
  if (info.architecture === 'software') return true;
  return /llvmpipe|lavapipe|swiftshader|softpipe/i.test(`${info.vendor} ${info.device} ${info.description}`);
}

/** One line naming an adapter, as printed and recorded in `backendReason`. */
export function adapterLine(a: Adapter): string {
  const what = [a.vendor, a.architecture, a.device].filter(Boolean).join(' / ');
  return `${what}${a.description ? ` (${a.description})` : ''}${a.software ? ', a software adapter on the CPU' : ''}`;
}

/** An adapter in a few words: its driver's description (or vendor and device), and whether it is software. */
export function adapterName(a: Adapter): string {
  return `${a.description || [a.vendor, a.device].filter(Boolean).join(' ')}${a.software ? ', software' : ''}`;
}

/** What identifies an adapter in a result's hash. */
export const adapterKey = (a: Adapter) => `adapter ${JSON.stringify([a.vendor, a.architecture, a.device, a.description])}`;

const PROBE = `
const out = (o) => { process.stdout.write(JSON.stringify(o)); process.exit(0); };
try {
  const { create } = await import(process.argv[1]);
  const adapter = await create([]).requestAdapter(JSON.parse(process.argv[2]));
  if (!adapter) out({ adapter: null });
  const i = adapter.info;
  out({ adapter: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter } });
} catch (e) { out({ error: String(e && e.message || e) }); }
`;

/** Where a Vulkan loader and drivers are looked for on Linux. */
const LOADER_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib64',
  '/lib',
];
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

function vulkanDrivers(): string[] {
  const files = process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES;
  if (files) return files.split(':').filter((f) => f && existsSync(f));
  return ICD_DIRS.flatMap((d) => {
    try {
      return readdirSync(d).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  });
}

const DRIVERS =
  "on a machine with an NVIDIA GPU, NVIDIA's driver with its Vulkan ICD (Debian: nvidia-driver and nvidia-vulkan-icd); to run WebGPU on the CPU instead, Mesa's lavapipe: Debian's mesa-vulkan-drivers, version 24 or newer (on Debian 12, from bookworm-backports: apt-get install -t bookworm-backports mesa-vulkan-drivers)";

/** Why Dawn gave no adapter, and what to install, from what the machine has. */
function missing(detail: string): Probe {
  if (process.platform !== 'linux') {
    return {
      ok: false,
      reason: `Dawn found no WebGPU adapter on ${process.platform}${detail ? ` (${detail})` : ''}`,
      hint: 'WebGPU needs a GPU driver with Metal (macOS), D3D12 (Windows) or Vulkan; on Linux, see the README.',
    };
  }
  const loader = LOADER_DIRS.some((d) => existsSync(`${d}/libvulkan.so.1`));
  if (!loader) {
    return {
      ok: false,
      reason: 'no Vulkan loader (libvulkan.so.1) is installed, which Dawn needs to reach any driver',
      hint: `Install Debian's libvulkan1 and a Vulkan driver: ${DRIVERS}.`,
    };
  }
  const drivers = vulkanDrivers();
  if (drivers.length === 0) {
    return {
      ok: false,
      reason: 'the Vulkan loader is installed, but no Vulkan driver (no ICD file in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d)',
      hint: `Install a Vulkan driver: ${DRIVERS}.`,
    };
  }
  return {
    ok: false,
    reason: `Vulkan drivers are installed (${drivers.join(', ')}), but Dawn accepted none of them${detail ? `: ${detail}` : ''}`,
    hint: `Debian 12's own lavapipe (Mesa 22.3) is too old for Dawn; install ${DRIVERS}.`,
  };
}

/** The first lines of Dawn's complaint, without the source locations it prints. */
function dawnSays(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/artificially reduced/.test(l));
  return lines.slice(0, 2).join(' ').slice(0, 300);
}

/** Asks Dawn, in a child process, for this machine's adapter. */
export function probeAdapterNow(timeoutMs = 30_000): Probe {
  let entry: string;
  try {
    entry = pathToFileURL(require.resolve('webgpu')).href;
  } catch {
    return {
      ok: false,
      reason: 'the `webgpu` package is not installed',
      hint: 'Run `npm install`: Chemins depends on `webgpu`, which ships Dawn for Linux, macOS and Windows.',
    };
  }
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, entry, JSON.stringify(ADAPTER_OPTIONS)], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { XDG_RUNTIME_DIR: '/tmp', ...process.env },
  });
  if (child.error || child.status !== 0) {
    const why = child.error?.message ?? (child.signal ? `it was killed by ${child.signal}` : `it exited with code ${child.status}`);
    return missing(`asking Dawn for an adapter failed: ${why}${dawnSays(child.stderr ?? '') ? `; ${dawnSays(child.stderr ?? '')}` : ''}`);
  }
  let answer: { adapter?: (Omit<Adapter, 'software'> & { isFallbackAdapter?: boolean }) | null; error?: string };
  try {
    answer = JSON.parse(child.stdout);
  } catch {
    return missing(`Dawn's answer could not be read: ${child.stdout.slice(0, 200)}`);
  }
  if (answer.error)
    return {
      ok: false,
      reason: `Dawn (the \`webgpu\` package) could not be loaded: ${answer.error.slice(0, 300)}`,
      hint: 'Reinstall with `npm ci`; the `webgpu` package ships Dawn for linux-x64, linux-arm64, macOS and Windows.',
    };
  if (!answer.adapter) return missing(dawnSays(child.stderr ?? ''));
  const { isFallbackAdapter, ...info } = answer.adapter;
  return {
    ok: true,
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      software: isSoftware({ ...info, isFallbackAdapter }),
    },
  };
}

/** What changes which adapter Dawn finds: a probe is reused only while these are the same. */
const probeEnv = () => JSON.stringify([process.env.VK_ICD_FILENAMES, process.env.VK_DRIVER_FILES, process.env.VK_LOADER_DRIVERS_SELECT]);
const CACHE = 'CHEMINS_WEBGPU_PROBE';

/**
 * This machine's adapter, probed once: the answer is kept in the environment,
 * so the worker processes and threads a build starts inherit it instead of
 * asking Dawn again.
 */
export function probeAdapter(): Probe {
  const key = probeEnv();
  try {
    const cached = JSON.parse(process.env[CACHE] ?? 'null') as { key: string; probe: Probe } | null;
    if (cached?.key === key) return cached.probe;
  } catch {
    // not ours, or damaged: probe again
  }
  const probe = probeAdapterNow();
  process.env[CACHE] = JSON.stringify({ key, probe });
  return probe;
}

/** Forgets the probe (tests that change the drivers Dawn sees). */
export function forgetProbe(): void {
  delete process.env[CACHE];
}
