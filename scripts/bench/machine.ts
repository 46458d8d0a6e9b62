import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';

// What the numbers were measured on, and a rough fp32 peak to read achieved
// GFLOP/s against. The peak is an estimate from /proc/cpuinfo, not a
// measurement: see `peakAssumption`.

export interface Machine {
  cpu: string;
  cores: number;
  ghz: number;
  memoryGiB: number;
  node: string;
  date: string;
  simd: string;
  /** fp32 FLOPs per cycle per core under the stated assumption. */
  flopsPerCycle: number;
  peakGflops: number;
  peakAssumption: string;
}

function cpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

function field(info: string, name: string): string | undefined {
  return info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1].trim();
}

export function describeMachine(): Machine {
  const info = cpuinfo();
  const flags = new Set((field(info, 'flags') ?? '').split(/\s+/));
  const cores = availableParallelism();
  const mhz = Number(field(info, 'cpu MHz')) || cpus()[0]?.speed || 0;
  const ghz = mhz / 1000;
  // fp32 lanes of the widest vector unit, ×2 for a fused multiply-add, ×2
  // for two FMA pipes per core (Intel server cores with AVX-512, and AMD Zen 5;
  // Zen 4 splits AVX-512 into two 256-bit halves, so it would be half this).
  const [simd, lanes] = flags.has('avx512f') ? ['AVX-512', 16] : flags.has('avx2') ? ['AVX2', 8] : flags.has('avx') ? ['AVX', 8] : ['SSE', 4];
  const fma = flags.has('fma') || flags.has('avx512f') ? 2 : 1;
  const pipes = 2;
  const flopsPerCycle = lanes * fma * pipes;
  const family = field(info, 'cpu family');
  const vendor = field(info, 'vendor_id') ?? '';
  return {
    cpu: `${field(info, 'model name') ?? cpus()[0]?.model ?? 'unknown'}${family ? ` (${vendor} family ${family}, model ${field(info, 'model')})` : ''}`,
    cores,
    ghz,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    simd,
    flopsPerCycle,
    peakGflops: cores * ghz * flopsPerCycle,
    peakAssumption: `${cores} cores × ${ghz.toFixed(2)} GHz (cpu MHz of /proc/cpuinfo, no boost) × ${flopsPerCycle} fp32 FLOPs/cycle (${simd}: ${lanes} lanes × ${fma === 2 ? '2 for FMA' : '1, no FMA'} × ${pipes} pipes)`,
  };
}
