"""Reference values for packages/core/src/review/review.test.ts and did.test.ts, computed with SciPy.

Run: /usr/bin/python3 packages/core/scripts/stats-reference.py   (Debian python3-scipy)
"""
import json
import math

import scipy
from scipy import stats

out = {"scipy": scipy.__version__}
out["normalCdf"] = [[x, stats.norm.cdf(x)] for x in [-8, -3.2, -1.96, -0.5, 0, 0.7, 1.6448536269514722, 2.5, 6]]
out["normalQuantile"] = [[p, stats.norm.ppf(p)] for p in [1e-10, 0.001, 0.025, 0.3, 0.5, 0.975, 0.999999]]
out["studentTCdf"] = [[t, df, stats.t.cdf(t, df)] for t, df in [(-2.1, 3), (0.4, 7.5), (1.96, 30), (-4, 120.3), (2.7, 1.5)]]
out["studentTQuantile"] = [[p, df, stats.t.ppf(p, df)] for p, df in [(0.975, 4), (0.975, 17.3), (0.995, 2.2), (0.025, 250)]]

# two proportions: treatment 540 of 9000, control 45 of 1000
n1, x1, n0, x0 = 9000, 540, 1000, 45
p1, p0 = x1 / n1, x0 / n0
pool = (x1 + x0) / (n1 + n0)
z = (p1 - p0) / math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n0))
q = stats.norm.ppf(0.975)
se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
se_log = math.sqrt((1 - p1) / x1 + (1 - p0) / x0)
ratio = p1 / p0
out["proportions"] = {
    "z": z,
    "p": 2 * stats.norm.sf(abs(z)),
    "upliftCi": [p1 - p0 - q * se, p1 - p0 + q * se],
    "relativeUpliftCi": [math.exp(math.log(ratio) - q * se_log) - 1, math.exp(math.log(ratio) + q * se_log) - 1],
}

# Welch: treatment n=120, mean 5300, sd 2100; control n=40, mean 4800, sd 2600
t, p = stats.ttest_ind_from_stats(5300, 2100, 120, 4800, 2600, 40, equal_var=False)
a, b = 2100**2 / 120, 2600**2 / 40
df = (a + b) ** 2 / (a**2 / 119 + b**2 / 39)
half = stats.t.ppf(0.975, df) * math.sqrt(a + b)
out["welch"] = {"t": t, "p": p, "df": df, "differenceCi": [500 - half, 500 + half]}

# audience for an uplift of 1 point on 4.5 %, control share 10 %, alpha 0.05, power 0.8
p0, p1, s = 0.045, 0.055, 0.1
za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
pbar = (1 - s) * p1 + s * p0
null0 = math.sqrt(pbar * (1 - pbar) * (1 / (1 - s) + 1 / s))
alt = math.sqrt(p1 * (1 - p1) / (1 - s) + p0 * (1 - p0) / s)
out["audience"] = math.ceil(((za * null0 + zb * alt) / 0.01) ** 2)
# SciPy's t.ppf at fractional df is accurate to about 1e-9 only: the probability of its quantile,
# and of the quantile found by the engine, checked with mpmath at 40 digits
try:
    import mpmath

    mpmath.mp.dps = 40
    tail = lambda x: 1 - mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + x * x), regularized=True) / 2
    out["welchQuantileCheck"] = {
        "scipy": float(tail(mpmath.mpf(stats.t.ppf(0.975, df))) - mpmath.mpf("0.975")),
        "engine(2.0025237368906863)": float(tail(mpmath.mpf(2.0025237368906863)) - mpmath.mpf("0.975")),
    }
except ImportError:
    pass

# Difference-in-differences (src/review/did.test.ts): changes (post - pre) per map cell, treated
# against comparison; the last cell has one comparison customer and is dropped (2 unmatched)
import numpy as np

did_cells = {
    "mass:growth": ([12.5, 8.0, 15.2, 9.8, 11.1], [7.4, 6.1, 9.9, 5.0, 8.3, 7.7]),
    "affluent:mature": ([40.0, 22.5, 31.8, 27.3, 35.9, 29.4, 44.1], [25.2, 30.7, 18.9, 27.6]),
    "hnw:declining": ([-5.0, 3.5, -12.2], [-9.1, -14.0, -3.3, -7.8, -11.6]),
    "mass:new": ([4.0, 6.0], [1.0]),
}
used = {k: (np.array(t), np.array(c)) for k, (t, c) in did_cells.items() if len(t) >= 2 and len(c) >= 2}
n_t = sum(len(t) for t, _ in used.values())
w = {k: len(t) / n_t for k, (t, _) in used.items()}
diff = {k: t.mean() - c.mean() for k, (t, c) in used.items()}
est = sum(w[k] * diff[k] for k in used)
se = math.sqrt(sum(w[k] ** 2 * (t.var(ddof=1) / len(t) + c.var(ddof=1) / len(c)) for k, (t, c) in used.items()))
z = est / se
q = stats.norm.ppf(0.975)
q90 = stats.norm.ppf(0.95)
out["did"] = {
    "estimate": est,
    "se": se,
    "z": z,
    "p": 2 * stats.norm.sf(abs(z)),
    "ci": [est - q * se, est + q * se],
    "ci90": [est - q90 * se, est + q90 * se],
    "weights": w,
    "differences": diff,
    "treated": n_t,
    "comparison": sum(len(c) for _, c in used.values()),
    "unmatched": sum(len(t) for k, (t, _) in did_cells.items() if k not in used),
}
print(json.dumps(out, indent=1))
