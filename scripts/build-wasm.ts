// Compiles Chemins' C kernels to WebAssembly with clang's wasm32 target
// (Debian: `apt-get install clang lld`): the fused MLP step
// (src/model/fused/mlp.c), k-means' dot products (src/signatures/dots.c) and
// the statistics' float64 matrix products (src/stats/gemm.c).
// The .wasm files are committed, so building Chemins never needs clang; each
// <name>.wasm.json records its source's digest, and a test fails when a
// source changed without a rebuild.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = ['src/model/fused/mlp.c', 'src/signatures/dots.c', 'src/stats/gemm.c'];
const flags = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-nostdlib',
  '-fno-builtin',
  '-Wall',
  '-Wl,--no-entry',
  '-Wl,--allow-undefined',
  '-Wl,-z,stack-size=1048576',
];
const clang = process.env.CLANG ?? 'clang';
const version = spawnSync(clang, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.error(`${clang} was not found: install clang and lld (Debian: apt-get install clang lld), or set CLANG.`);
  process.exit(1);
}
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
for (const source of SOURCES) {
  const c = fileURLToPath(new URL(`../${source}`, import.meta.url));
  const out = c.replace(/\.c$/, '.wasm');
  const r = spawnSync(clang, [...flags, '-o', `${out}.tmp`, c], { encoding: 'utf8', stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  renameSync(`${out}.tmp`, out);
  const record = { source: basename(c), sourceSha256: sha(c), wasmSha256: sha(out), compiler: version.stdout.split('\n')[0], flags };
  writeFileSync(`${out}.json`, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`${source.replace(/\.c$/, '.wasm')}: ${readFileSync(out).length} bytes, ${record.compiler}`);
}
