"""A scikit-learn peer of Chemins' analysis: the same statistics, on the same
stored activations, on one thread, as a straightforward numpy / scikit-learn
implementation would compute them (its own k-means included). Prints one JSON
line: seconds per part and in all. Argument: a JSON file written by
scripts/bench/analysis.ts (the experiment's settings, its labels and where
its stored activations are)."""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.covariance import LedoitWolf
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, roc_auc_score, silhouette_score
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

job = json.load(open(sys.argv[1]))
rng = np.random.default_rng(1)
parts = {}


def timed(name, work):
    t = time.perf_counter()
    out = work()
    parts[name] = parts.get(name, 0.0) + time.perf_counter() - t
    return out


ranges = job["ranges"]
labels = np.array(job["labels"])
cls = np.array(job["classIndex"])
train = np.arange(*ranges["train"])
test = np.arange(*ranges["test"])
probe = np.arange(*ranges["probe"])
trained = np.concatenate([train, test])
C = int(cls.max()) + 1


def load(layer):
    return np.fromfile(layer["path"], dtype=np.float32).reshape(layer["rows"], layer["columns"])


def purity(clusters, y):
    total = 0
    for c in np.unique(clusters):
        total += np.bincount(y[clusters == c] - y.min()).max()
    return total / len(y)


def separation(x, k, seed):
    out = {}
    km = timed("k-means", lambda: KMeans(n_clusters=k, n_init=job["restarts"], algorithm="lloyd", random_state=seed).fit(x[train]))
    kc = timed("k-means", lambda: KMeans(n_clusters=C, n_init=job["restarts"], algorithm="lloyd", random_state=seed).fit(x[train]))
    a, b = km.predict(x[trained]), kc.predict(x[trained])
    y = labels[trained]
    out["nmi"] = normalized_mutual_info_score(y, a)
    out["ari"] = adjusted_rand_score(y, a)
    out["purity"] = purity(km.predict(x[test]), labels[test])
    out["nmiAtClasses"] = normalized_mutual_info_score(y, b)
    sample = rng.choice(trained, size=min(job["silhouetteSample"], len(trained)), replace=False)
    out["silhouette"] = timed("silhouette", lambda: silhouette_score(x[sample], labels[sample]))
    fit = rng.choice(train, size=min(5000, len(train)), replace=False)
    mean, std = x[fit].mean(0), x[fit].std(0)
    std[std == 0] = 1
    z = lambda rows: (x[rows] - mean) / std
    lr = timed("probe", lambda: LogisticRegression(C=1.0, max_iter=10000, tol=1e-6).fit(z(fit), cls[fit]))
    out["probe"] = float((lr.predict(z(test)) == cls[test]).mean())
    ref = rng.choice(train, size=min(3000, len(train)), replace=False)
    knn = timed("knn", lambda: KNeighborsClassifier(job["neighbours"], algorithm="brute").fit(x[ref], cls[ref]))
    out["knn"] = float(timed("knn", lambda: (knn.predict(x[test]) == cls[test]).mean()))
    return out, ref


def ood(x, ref):
    queries = np.concatenate([test, probe])
    xs = x[train].astype(np.float64)
    means = np.stack([xs[cls[train] == c].mean(0) for c in range(C)])
    centred = xs - means[cls[train]]
    lw = timed("mahalanobis", lambda: LedoitWolf(assume_centered=True).fit(centred))
    bg = timed("mahalanobis", lambda: LedoitWolf().fit(xs))
    xq = x[queries].astype(np.float64)

    def maha():
        prec = lw.precision_
        d = np.min([np.sum(((xq - m) @ prec) * (xq - m), axis=1) for m in means], axis=0)
        e = xq - bg.location_
        return np.sqrt(d), d - np.sum((e @ bg.precision_) * e, axis=1)

    m, rel = timed("mahalanobis", maha)
    nn = NearestNeighbors(n_neighbors=job["neighbours"], algorithm="brute").fit(x[ref])
    kth = timed("knn distance", lambda: nn.kneighbors(x[queries])[0][:, -1])
    cen = np.min(np.linalg.norm(xq[:, None, :] - means[None], axis=2), axis=1)
    aucs = {}
    for p in job["probes"]:
        sel = np.concatenate([np.arange(len(test)), len(test) + np.where(labels[probe] == p)[0]])
        pos = sel >= len(test)
        for name, s in (("mahalanobis", m), ("relative", rel), ("knn", kth), ("centroid", cen)):
            aucs[f"{p}/{name}"] = roc_auc_score(pos, s[sel])
    return aucs


def between(xt, g):
    mu = xt.mean(0)
    return sum((g == c).sum() * np.sum((xt[g == c].mean(0) - mu) ** 2) for c in np.unique(g))


def class_tests(x, seed):
    xt, g = x[test].astype(np.float64), cls[test]
    stat = between(xt, g)
    r = np.random.default_rng(seed)
    hits = sum(between(xt, r.permutation(g)) >= stat for _ in range(job["permutations"]))

    def ratio(rows):
        means = np.stack([xt[rows][g[rows] == c].mean(0) for c in range(C)])
        spread = np.sqrt(np.mean(np.sum((xt[rows] - means[g[rows]]) ** 2, axis=1)))
        d = [np.linalg.norm(means[a] - means[b]) for a in range(C) for b in range(a + 1, C)]
        return np.mean(d) / spread

    boots = [ratio(np.concatenate([r.choice(np.where(g == c)[0], (g == c).sum()) for c in range(C)])) for _ in range(200)]
    return (1 + hits) / (1 + job["permutations"]), np.percentile(boots, [2.5, 97.5])


def cka(a, b):
    a = a - a.mean(0)
    b = b - b.mean(0)
    return np.linalg.norm(b.T @ a) ** 2 / (np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b))


start, cpu = time.perf_counter(), time.process_time()
layers0 = job["seeds"][0]["layers"]
inputs = load(layers0[0]).astype(np.float64)
# The raw input is the same for every seed: computed once, as Chemins does.
input_sep, input_ref = separation(inputs, job["k"][0], 1)
input_ood = timed("ood", lambda: ood(inputs, input_ref))
seeds_hidden = []
for s, seed in enumerate(job["seeds"]):
    hidden = [load(layer).astype(np.float64) for layer in seed["layers"][1:]]
    seeds_hidden.append(hidden)
    for li, x in enumerate(hidden):
        _, ref = separation(x, job["k"][li + 1], 1 + s)
        timed("ood", lambda: ood(x, ref))
        if li < len(hidden) - 1:
            timed("permutation and bootstrap", lambda: class_tests(x, s))
    layers = [inputs] + hidden
    timed("cka", lambda: [[cka(a[test], b[test]) for b in layers] for a in layers])
# Agreement between seeds, per layer, over every pair of seeds.
n = len(job["seeds"])
for li in range(len(seeds_hidden[0])):
    for a in range(n):
        for b in range(a + 1, n):
            timed("stability", lambda: cka(seeds_hidden[a][li][trained], seeds_hidden[b][li][trained]))
total, cpu = time.perf_counter() - start, time.process_time() - cpu
import sklearn

print(json.dumps({"seconds": total, "cpuSeconds": cpu, "parts": parts, "version": sklearn.__version__}))
