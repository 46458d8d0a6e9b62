import { findPython, runPinned } from './python.ts';
import type { KMeansTiming, MatrixFile } from './kmeans.ts';

// scikit-learn's Lloyd k-means as a peer, on the same matrix, k, restarts
// and seed policy (k-means++, lowest inertia of n_init runs), pinned to one
// thread as lloyd.ts runs on one. Only where it imports (Debian:
// python3-sklearn): the bench never depends on it.

// Reads the matrix as the bench's own parts do: float32, pixels / 255.
const LOAD = String.raw`
import gzip, json, sys, time
import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from threadpoolctl import threadpool_limits
source, k, restarts = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if "idx" in source:
    with gzip.open(source["idx"]) as f:
        pixels = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    x = (pixels.reshape(-1, 784)[: source.get("limit") or None].astype(np.float32) / np.float32(255))
else:
    x = np.fromfile(source["path"], dtype=np.float32).reshape(source["rows"], source["width"])
def inertia_of(km):
    return float(((x.astype(np.float64) - km.cluster_centers_.astype(np.float64)[km.labels_]) ** 2).sum())
`;

const SCRIPT = String.raw`
start, cpu = time.perf_counter(), time.process_time()
with threadpool_limits(1):
    km = KMeans(n_clusters=k, n_init=restarts, init="k-means++", algorithm="lloyd", random_state=1).fit(x)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "inertia": inertia_of(km), "iterations": int(km.n_iter_), "rows": x.shape[0], "width": x.shape[1], "version": sklearn.__version__}))
`;

// Restart r from kmeans_plusplus(random_state = 1 + r), written to a file for
// lloyd to start from; only the Lloyd iterations are timed.
const FROM_STARTS = String.raw`
with threadpool_limits(1):
    starts = [kmeans_plusplus(x, k, random_state=1 + r)[0] for r in range(restarts)]
    np.stack(starts).astype(np.float64).tofile(sys.argv[4])
    runs, cpu = [], 0.0
    for c in starts:
        began = time.process_time()
        km = KMeans(n_clusters=k, init=c, n_init=1, algorithm="lloyd").fit(x)
        cpu += time.process_time() - began
        runs.append({"inertia": inertia_of(km), "iterations": int(km.n_iter_)})
print(json.dumps({"cpuSeconds": cpu, "runs": runs, "version": sklearn.__version__}))
`;

/** The first Python here that imports scikit-learn. */
export const findSklearn = () => findPython('import sklearn, threadpoolctl; print(sklearn.__version__)');

export type SklearnSource = MatrixFile | { idx: string; limit: number | null };

const runPython = <T>(python: string, script: string, args: string[]): T => runPinned<T>(python, LOAD + script, args, 600_000);

export function benchSklearn(python: string, source: SklearnSource, k: number, restarts: number): KMeansTiming & { version: string } {
  const out = runPython<Omit<KMeansTiming, 'engine' | 'k' | 'restarts'> & { version: string }>(python, SCRIPT, [
    JSON.stringify(source),
    String(k),
    String(restarts),
  ]);
  return {
    engine: 'scikit-learn' as KMeansTiming['engine'],
    rows: out.rows,
    width: out.width,
    k,
    restarts,
    seconds: out.seconds,
    cpuSeconds: out.cpuSeconds,
    inertia: out.inertia,
    iterations: out.iterations,
    version: out.version,
  };
}

export interface StartedRuns {
  cpuSeconds: number;
  /** Per restart, in order. */
  runs: { inertia: number; iterations: number }[];
}

/** scikit-learn's Lloyd iterations from its own k-means++ starts, which it writes (float64, restarts × k × width) to `startsPath`. */
export function sklearnFromStarts(python: string, source: SklearnSource, k: number, restarts: number, startsPath: string): StartedRuns & { version: string } {
  return runPython<StartedRuns & { version: string }>(python, FROM_STARTS, [JSON.stringify(source), String(k), String(restarts), startsPath]);
}
