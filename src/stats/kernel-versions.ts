import { readFileSync } from 'node:fs';

// The WebAssembly kernels' versions, read from their build records without
// compiling them (gemm.ts compiles and warms its kernel up when imported): a
// build that only confirms its stored results needs the versions alone.

const version = (name: string, record: URL) => `${name}@${JSON.parse(readFileSync(record, 'utf8')).wasmSha256.slice(0, 12)}`;

/** Identifies the float64 kernel in result hashes: a rebuilt kernel may sum in another order, so its statistics are another result. */
export const GEMM_VERSION = version('gemm.wasm', new URL('./gemm.wasm.json', import.meta.url));

/** Identifies k-means' kernel in result hashes: a rebuilt kernel can move a row on a tie, so its clusterings are another result. */
export const DOTS_VERSION = version('dots.wasm', new URL('../signatures/dots.wasm.json', import.meta.url));
