"""Reference inertia for the k-means parity test (packages/core/src/clusters/kmeans.test.ts).

Run: /usr/bin/python3 packages/core/scripts/sklearn-reference.py   (Debian's python3-sklearn)

The data are integer arithmetic and one division per value, so JavaScript builds bit-identical
points; the initial centres are given rows, so both sides start from the same place.
"""
import numpy as np
import sklearn
from sklearn.cluster import KMeans

N, D, K = 3000, 5, 5
INIT_ROWS = [0, 5, 10, 15, 20]


def value(i, j):
    base = ((i * 7919 + j * 104729) % 10007) / 10007
    c = i % K
    return base + (0.3 if j == c % D else 0.0)


X = np.array([[value(i, j) for j in range(D)] for i in range(N)], dtype=np.float64)
init = X[INIT_ROWS]
km = KMeans(n_clusters=K, init=init, n_init=1, algorithm="lloyd", max_iter=300, tol=0).fit(X)
print(f"sklearn {sklearn.__version__}: inertia {km.inertia_!r} after {km.n_iter_} iterations")
