// Compiles src/model/fused/mlp.c into mlp.wasm with clang's wasm32 target
// (Debian: `apt-get install clang lld`). The .wasm is committed, so building
// Chemins never needs clang; mlp.wasm.json records the source's digest, and a
// test fails when the source changed without a rebuild.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../src/model/fused/', import.meta.url));
const flags = ['--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-fno-builtin', '-Wall', '-Wl,--no-entry', '-Wl,--allow-undefined', '-Wl,-z,stack-size=1048576'];
const clang = process.env.CLANG ?? 'clang';
const version = spawnSync(clang, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.error(`${clang} was not found: install clang and lld (Debian: apt-get install clang lld), or set CLANG.`);
  process.exit(1);
}
const out = `${dir}mlp.wasm`;
const r = spawnSync(clang, [...flags, '-o', `${out}.tmp`, `${dir}mlp.c`], { encoding: 'utf8', stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
renameSync(`${out}.tmp`, out);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const record = { source: 'mlp.c', sourceSha256: sha(`${dir}mlp.c`), wasmSha256: sha(out), compiler: version.stdout.split('\n')[0], flags };
writeFileSync(`${dir}mlp.wasm.json`, `${JSON.stringify(record, null, 2)}\n`);
console.log(`mlp.wasm: ${readFileSync(out).length} bytes, ${record.compiler}`);
