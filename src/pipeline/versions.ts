import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DOTS_VERSION, GEMM_VERSION } from '../stats/kernel-versions.ts';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Versions of what made a result, recorded in it. */
export function toolVersions(): Record<string, string> {
  return {
    node: process.versions.node,
    '@tensorflow/tfjs': versionOf('@tensorflow/tfjs'),
    '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-backend-webgpu': versionOf('@tensorflow/tfjs-backend-webgpu'),
    webgpu: versionOf('webgpu'),
    'ml-kmeans': versionOf('ml-kmeans'),
    'umap-js': versionOf('umap-js'),
    mnist: versionOf('mnist'),
  };
}

/** Libraries and kernels that shape the analysis's numbers, as part of a result's hash. */
export function analysisLibraries(): string {
  return [...['umap-js'].map((p) => `${p}@${versionOf(p)}`), DOTS_VERSION, GEMM_VERSION].join(' ');
}
