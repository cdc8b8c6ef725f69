"""scikit-learn's k-means on the benchmark's points, from the benchmark's initial centres.

Called by bench/src/run.mjs: python3 sklearn_kmeans.py POINTS.f64 INIT.f64 N D K ITERATIONS
Prints one JSON line: milliseconds per iteration (median of three fits), iterations, inertia,
version.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

points, init, n, d, k, iterations = sys.argv[1:7]
n, d, k, iterations = int(n), int(d), int(k), int(iterations)
X = np.fromfile(points, dtype=np.float64).reshape(n, d)
C = np.fromfile(init, dtype=np.float64).reshape(k, d)
# Three fits, the median, as the benchmark does for ours.
times = []
with threadpool_limits(limits=2):
    for _ in range(3):
        started = time.perf_counter()
        km = KMeans(n_clusters=k, init=C, n_init=1, algorithm="lloyd", max_iter=iterations, tol=0).fit(X)
        times.append((time.perf_counter() - started) * 1000 / km.n_iter_)
print(json.dumps({
    "msPerIteration": sorted(times)[1],
    "iterations": int(km.n_iter_),
    "inertia": float(km.inertia_),
    "version": sklearn.__version__,
}))
