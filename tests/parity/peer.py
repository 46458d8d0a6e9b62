"""scikit-learn's answers on the fixed data Chemins' parity test sends (JSON on stdin)."""
import json
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.covariance import LedoitWolf
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, roc_auc_score, silhouette_score
from sklearn.neighbors import NearestNeighbors

q = json.load(sys.stdin)
out = {}


def standardise(x):
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std == 0] = 1
    return (x - mean) / std


def logistic(case):
    x = standardise(np.array(case["x"], dtype=np.float64).reshape(case["n"], case["d"]))
    y = np.array(case["y"])
    m = LogisticRegression(C=case["c"], tol=1e-12, max_iter=100000).fit(x, y)
    n = len(y)
    logits = x @ m.coef_.T + m.intercept_
    if logits.shape[1] == 1:
        t = logits[:, 0]
        loss = np.mean(np.logaddexp(0, t) - (y == 1) * t)
    else:
        mx = logits.max(axis=1, keepdims=True)
        lse = (mx[:, 0] + np.log(np.exp(logits - mx).sum(axis=1)))
        loss = np.mean(lse - logits[np.arange(n), y])
    objective = loss + (m.coef_ ** 2).sum() / (2 * case["c"] * n)
    return {"objective": float(objective), "predictions": m.predict(x).tolist()}


out["logistic"] = [logistic(c) for c in q["logistic"]]

lw = q["ledoitWolf"]
x = np.array(lw["x"], dtype=np.float64).reshape(lw["n"], lw["d"])
y = np.array(lw["y"])
centred = x.copy()
for c in np.unique(y):
    centred[y == c] -= x[y == c].mean(axis=0)
out["ledoitWolf"] = float(LedoitWolf(assume_centered=True).fit(centred).shrinkage_)

lab = q["labels"]
out["nmi"] = float(normalized_mutual_info_score(lab["a"], lab["b"]))
out["ari"] = float(adjusted_rand_score(lab["a"], lab["b"]))

s = q["silhouette"]
out["silhouette"] = float(silhouette_score(np.array(s["x"]).reshape(s["n"], s["d"]), s["labels"]))

a = q["auc"]
out["auc"] = float(roc_auc_score(a["positive"], a["scores"]))

k = q["knn"]
ref = np.array(k["train"], dtype=np.float64).reshape(-1, k["d"])
# A k-d tree measures direct differences; "brute" expands ‖q‖² + ‖t‖² − 2q·t and cancels here.
nn = NearestNeighbors(n_neighbors=k["k"], algorithm="kd_tree").fit(ref)
dist, _ = nn.kneighbors(np.array(k["queries"], dtype=np.float64).reshape(-1, k["d"]))
out["knn"] = dist[:, -1].tolist()

km = q["kmeans"]
xk = np.array(km["x"], dtype=np.float32).reshape(km["n"], km["d"])
start = np.array(km["start"], dtype=np.float64).reshape(km["k"], km["d"])
fit = KMeans(n_clusters=km["k"], init=start.astype(np.float32), n_init=1, algorithm="lloyd", tol=0, max_iter=1000).fit(xk)
centres = fit.cluster_centers_.astype(np.float64)
out["kmeansInertia"] = float(((xk.astype(np.float64) - centres[fit.labels_]) ** 2).sum())

json.dump(out, sys.stdout)
